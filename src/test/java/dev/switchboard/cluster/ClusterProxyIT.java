package dev.switchboard.cluster;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HttpGet;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped docs/deploy/cluster configurations for nginx and HAProxy, run as they are (only ports
 * changed) in front of three clustered nodes: clients spread over the nodes and behave as on one server.
 */
class ClusterProxyIT {
  private static final Path DEPLOY = Path.of(System.getProperty("switchboard.basedir", "."), "docs", "deploy", "cluster");
  private static ClusterNodes cluster;
  private static Vertx client;
  private static final List<AtomicInteger> connectedPerNode = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = new ClusterNodes(o -> o.setAllowDiscovery(true)).start(3);
    for (int i = 0; i < 3; i++) {
      AtomicInteger count = new AtomicInteger();
      connectedPerNode.add(count);
      cluster.node(i).broker().addListener(new BrokerListener() {
        @Override
        public void peerConnected(PeerLink peer) {
          count.incrementAndGet();
        }

        @Override
        public void peerDisconnected(PeerLink peer, CloseReason reason) {
          count.decrementAndGet();
        }
      });
    }
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
  }

  // The shipped file with the nodes' real ports for 9001..9003 and a free port for the front's 9000.
  private static String configured(String file, int front) throws IOException {
    String config = Files.readString(DEPLOY.resolve(file));
    for (int i = 0; i < 3; i++) {
      config = config.replace("127.0.0.1:900" + (i + 1), "127.0.0.1:" + cluster.node(i).port());
    }
    return config.replace("listen 9000;", "listen 127.0.0.1:" + front + ";").replace("bind :9000", "bind 127.0.0.1:" + front);
  }

  @Test
  void nginxSpreadsPeersOverTheNodesWhichActAsOne() throws Exception {
    Path dir = Files.createTempDirectory("nginx-cluster");
    Files.createDirectories(dir.resolve("logs"));
    int front = ClusterNodes.freePort();
    Path conf = Files.writeString(dir.resolve("nginx.conf"), configured("nginx-cluster.conf", front));
    Process nginx = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString(),
        "-g", "daemon off; pid " + dir.resolve("nginx.pid") + "; error_log stderr;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("output.txt").toFile()).start();
    try {
      throughTheFront(front, "ng", dir.resolve("output.txt"));
    } finally {
      nginx.destroy();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void haproxySpreadsPeersOverTheNodesWhichActAsOne() throws Exception {
    Path dir = Files.createTempDirectory("haproxy-cluster");
    int front = ClusterNodes.freePort();
    Path conf = Files.writeString(dir.resolve("haproxy.cfg"), configured("haproxy-cluster.cfg", front));
    Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("output.txt").toFile()).start();
    try {
      throughTheFront(front, "hp", dir.resolve("output.txt"));
    } finally {
      haproxy.destroy();
      haproxy.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void throughTheFront(int front, String prefix, Path proxyOutput) {
    Eventually.await(Duration.ofSeconds(15), () -> {
      try {
        return HttpGet.text(front, "/").contains("PeerJS Server");
      } catch (AssertionError notYet) {
        return false;
      }
    }, () -> "proxy not serving:\n" + read(proxyOutput));
    List<TestPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        peers.add(TestPeer.open(client, front, prefix + i));
      }
      long nodesUsed = connectedPerNode.stream().filter(count -> count.get() > 0).count();
      assertTrue(nodesUsed >= 2, "the proxy sent every peer to one node: " + connectedPerNode);
      Eventually.await(Duration.ofSeconds(5), () -> HttpGet.peers(front).size() == 6, () -> "not all listed");
      for (int i = 0; i < 6; i++) {
        peers.get(i).send("{\"type\":\"CANDIDATE\",\"dst\":\"" + prefix + ((i + 1) % 6) + "\",\"payload\":" + i + "}");
      }
      for (int i = 0; i < 6; i++) {
        assertEquals(prefix + ((i + 5) % 6), peers.get(i).expectType("CANDIDATE").getString("src"));
      }
      try (TestPeer thief = TestPeer.connect(client, front, prefix + "0", "another-token")) {
        thief.expectType("ID-TAKEN");
      }
      String id = HttpGet.text(front, "/peerjs/id");
      assertEquals(36, id.length(), id);
    } finally {
      peers.forEach(TestPeer::close);
    }
    Eventually.await(Duration.ofSeconds(5), () -> HttpGet.peers(front).isEmpty(), () -> "peers left");
    xhrStreamsOfOnePeerStayOnOneNode(front, prefix);
  }

  // PeerJS 0.3.x renews its stream every 25 s. Round robin would send each renewal to another node,
  // which would take the id over (a second OPEN); the shipped configs hash streams by key and id.
  private static void xhrStreamsOfOnePeerStayOnOneNode(int front, String prefix) {
    try (XhrPeer xhr = XhrPeer.of(client, front, "peerjs", prefix + "x", "xhr-token");
         TestPeer ws = TestPeer.open(client, front, prefix + "w")) {
      XhrPeer.Stream stream = xhr.stream("i=0");
      assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
      for (int i = 1; i <= 4; i++) {
        XhrPeer.Stream renewed = xhr.stream("i=" + i);
        assertEquals(200, renewed.status);
        assertTrue(renewed.nextLine().matches("0{2048}"), "padding first");
        stream.abort();
        stream = renewed;
      }
      ws.send("{\"type\":\"OFFER\",\"dst\":\"" + prefix + "x\",\"payload\":\"renewed\"}");
      String line = stream.nextLine();
      assertTrue(line.contains("\"payload\":\"renewed\""), "the renewed stream got " + line + " instead of the OFFER");
      assertEquals(200, xhr.post("leave", "{\"type\":\"LEAVE\"}").status()); // frees the id at once
    }
    Eventually.await(Duration.ofSeconds(5), () -> HttpGet.peers(front).isEmpty(), () -> "peers left");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no output)";
    }
  }
}

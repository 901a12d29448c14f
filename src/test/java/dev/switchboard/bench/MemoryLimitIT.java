package dev.switchboard.bench;

import dev.switchboard.support.BrokerProcess;
import dev.switchboard.support.Command;
import dev.switchboard.support.MemoryCgroup;
import dev.switchboard.support.PomVersion;
import dev.switchboard.support.TestPeer;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #17's "a 512 MiB VM must work": the launcher ({@code target/switchboard}, no flags) started in a
 * memory cgroup limited to 512 MiB, as in such a VM or container. The JVM must size its heap from the
 * limit (75 %), and the broker must hold a few thousand idle WebSocket peers (the connect storm's lean
 * client, {@link StormConnector}) and relay between others, without the kernel's OOM killer and below
 * the limit.
 */
class MemoryLimitIT {
  private static final long LIMIT = 512L * 1024 * 1024;
  private static final int IDLE_PEERS = 4000;
  private static final int PAIRS = 10;
  private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

  @Test
  void theLauncherServesThousandsOfPeersIn512MiB() throws Exception {
    Path launcher = PomVersion.basedir().resolve("target/switchboard");
    assertTrue(launcher.toFile().canExecute(), "missing " + launcher + " (run mvn package first)");
    try (MemoryCgroup cgroup = MemoryCgroup.create("switchboard-it-" + ProcessHandle.current().pid(), LIMIT)) {
      ProcessBuilder builder = new ProcessBuilder(cgroup.wrap(List.of(launcher.toString(), "--host", "127.0.0.1", "--port", "0")));
      Map<String, String> env = builder.environment();
      List.of("JAVA_OPTS", "SWITCHBOARD_JVM_DEFAULTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS").forEach(env::remove);
      env.put("JAVA_HOME", System.getProperty("java.home"));
      try (BrokerProcess broker = BrokerProcess.start("launcher in " + cgroup.dir(), builder);
           StormConnector connector = new StormConnector(2, 2)) {
        int port = broker.port();
        assertEquals(List.of(broker.pid()), cgroup.processes(), "the broker runs in " + cgroup.dir());
        assertHeapSizedFromTheLimit(broker.pid());
        List<Channel> idle = connectIdlePeers(connector, port);
        assertTrue(metrics(port).contains("switchboard_peers_connected{transport=\"websocket\"} " + IDLE_PEERS + ".0"),
            "the broker counts the idle peers");
        relayBetweenPairs(port);
        assertTrue(broker.isAlive(), broker.output());
        assertEquals(IDLE_PEERS, idle.stream().filter(Channel::isActive).count(), "idle peers still connected");
        broker.kill();
        assertEquals(0, cgroup.oomKills(), "the kernel's OOM killer ran in " + cgroup.dir() + ":\n" + broker.output());
        long peak = cgroup.peakBytes();
        System.out.printf("MemoryLimitIT: %d idle peers + %d relaying pairs, peak memory of the cgroup %d MiB of %d MiB%n",
            IDLE_PEERS, PAIRS, peak >> 20, LIMIT >> 20);
        assertTrue(peak < LIMIT, "the cgroup reached its limit: peak " + peak + " bytes");
      }
    }
  }

  // The JVM read the cgroup's limit: the launcher's MaxRAMPercentage=75 of 512 MiB, not of the machine.
  private static void assertHeapSizedFromTheLimit(long pid) {
    Command.Result flags = Command.run(Path.of("."), Duration.ofSeconds(30),
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), "VM.flags");
    Matcher heap = MAX_HEAP.matcher(flags.output());
    assertTrue(heap.find(), flags.describe("showed no MaxHeapSize"));
    long max = Long.parseLong(heap.group(1));
    assertTrue(max >= LIMIT * 70 / 100 && max <= LIMIT * 75 / 100,
        "MaxHeapSize " + (max >> 20) + " MiB, expected about 75 % of " + (LIMIT >> 20) + " MiB:\n" + flags.output());
    assertTrue(flags.output().contains("-XX:+UseParallelGC"), flags.output());
  }

  private static List<Channel> connectIdlePeers(StormConnector connector, int port) throws Exception {
    List<String> ids = IntStream.range(0, IDLE_PEERS).mapToObj(i -> "idle-" + i).toList();
    StormConnector.Opened opened = connector.connectAll(port, ids, id -> "t", 128, nanos -> { });
    assertEquals(0, opened.failures(), "peers failed to connect, the first: " + opened.firstFailure());
    assertEquals(IDLE_PEERS, opened.channels().size());
    return opened.channels();
  }

  private static void relayBetweenPairs(int port) {
    Vertx vertx = Vertx.vertx();
    List<TestPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < PAIRS; i++) {
        TestPeer caller = TestPeer.open(vertx, port, "caller-" + i);
        TestPeer callee = TestPeer.open(vertx, port, "callee-" + i);
        peers.add(caller);
        peers.add(callee);
        caller.send("{\"type\":\"OFFER\",\"dst\":\"callee-" + i + "\",\"payload\":{\"sdp\":\"offer " + i + "\"}}");
        assertEquals("offer " + i, callee.expectType("OFFER").getJsonObject("payload").getString("sdp"));
        callee.send("{\"type\":\"ANSWER\",\"dst\":\"caller-" + i + "\",\"payload\":{\"sdp\":\"answer " + i + "\"}}");
        assertEquals("callee-" + i, caller.expectType("ANSWER").getString("src"));
      }
    } finally {
      peers.forEach(TestPeer::close);
      vertx.close();
    }
  }

  private static String metrics(int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}

package dev.switchboard.deploy;

import dev.switchboard.Switchboard;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.ProxyProcess;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's nginx with the shipped docs/deploy/nginx.conf (TLS termination, sub-path /calls/) in front of
 * the broker: unmodified PeerJS 1.5.5 in Chromium over wss:// through it, a raw WebSocket client, and
 * an XHR stream client (PeerJS 0.3.x's and the add-on's streams) to check that nginx does not buffer.
 */
@ExtendWith(VertxExtension.class)
class NginxIT {
  private static final String PATH = "/calls/";

  @TempDir
  Path dir;
  private Switchboard broker;
  private ProxyProcess nginx;
  private int port;
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    broker = Brokers.start(vertx, Brokers.options().setPath("/calls").setProxied(true));
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        addresses.put(peer.id(), peer.remoteAddress());
      }
    });
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    port = ProxyProcess.freePort();
    String site = ProxyProcess.shipped("docs/deploy/nginx.conf",
        "listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;",
        "server 127.0.0.1:9000;", "server 127.0.0.1:" + broker.actualPort() + ";",
        "/etc/ssl/switchboard/fullchain.pem", certificate.certificatePath(),
        "/etc/ssl/switchboard/privkey.pem", certificate.privateKeyPath());
    Files.writeString(dir.resolve("switchboard.conf"), site);
    for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(dir.resolve(temp));
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
        root ? "user root;" : "",
        "worker_processes 1;",
        "daemon off;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log stderr info;",
        "events { worker_connections 128; }",
        "http {",
        "  access_log " + dir.resolve("access.log") + ";",
        "  client_body_temp_path " + dir.resolve("body") + ";",
        "  proxy_temp_path " + dir.resolve("proxy") + ";",
        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
        "  scgi_temp_path " + dir.resolve("scgi") + ";",
        "  include " + dir.resolve("switchboard.conf") + ";",
        "}", ""));
    nginx = ProxyProcess.start(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString()),
        dir, port);
  }

  @AfterEach
  void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void peerJsOverWssThroughNginxUnderASubPath() {
    NodeRun run = BrowserPeers.against("localhost", port, PATH, "peerjs").secure()
        .page("A", peer("alice", "token-a"))
        .page("B", peer("bob", "token-b"))
        .run("data-and-media");
    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
    JsonObject call = run.step("media-call");
    assertEquals("alice", call.getJsonObject("callee").getString("from"));
    // The broker saw the client's address from X-Forwarded-For (loopback here), not nginx's socket port.
    assertEquals("127.0.0.1", addresses.get("alice"));
  }

  @Test
  void apiAndWebSocketThroughNginx(Vertx vertx) {
    var http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    String info = Await.result(http.request(HttpMethod.GET, port, "localhost", PATH)
        .compose(r -> r.send()).compose(r -> r.body())).toString();
    assertEquals("PeerJS Server", new JsonObject(info).getString("name"));
    String id = Await.result(http.request(HttpMethod.GET, port, "localhost", PATH + "peerjs/id")
        .compose(r -> r.send()).compose(r -> r.body())).toString();
    assertEquals(36, id.length());

    WebSocketClientOptions tls = new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false);
    try (TestPeer alice = TestPeer.connect(vertx, tls, new WebSocketConnectOptions().setHost("localhost").setPort(port)
             .setSsl(true).setURI(PATH + "peerjs?key=peerjs&id=alice&token=secret-a"));
         TestPeer bob = TestPeer.connect(vertx, tls, new WebSocketConnectOptions().setHost("localhost").setPort(port)
             .setSsl(true).setURI(PATH + "peerjs?key=peerjs&id=bob&token=secret-b"))) {
      alice.expectType("OPEN");
      bob.expectType("OPEN");
      bob.send(new JsonObject().put("type", "OFFER").put("dst", "alice").put("payload", new JsonObject().put("sdp", "v=0")));
      assertEquals("bob", alice.expectType("OFFER").getString("src"));
    }
    http.close();
    assertFalse(readQuietly(dir.resolve("access.log")).contains("secret-a"), "tokens stay out of nginx's access log");
  }

  @Test
  void xhrStreamThroughNginxIsUnbufferedAndCarriesRelayedMessages(Vertx vertx) {
    HttpClientOptions tls = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
        .setDefaultHost("localhost").setDefaultPort(port);
    WebSocketClientOptions wss = new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false);
    for (String query : List.of("i=0", "i=0&ack=0")) {
      // PeerJS 0.3.x's stream, then the add-on's sequenced stream.
      String id = query.contains("ack") ? "carol" : "alice";
      try (XhrPeer xhr = XhrPeer.at(vertx, tls, PATH, "peerjs", id, "secret-" + id);
           TestPeer bob = TestPeer.connect(vertx, wss, new WebSocketConnectOptions().setHost("localhost").setPort(port)
               .setSsl(true).setURI(PATH + "peerjs?key=peerjs&id=bob-" + id + "&token=secret-b"))) {
        bob.expectType("OPEN");
        XhrPeer.Stream stream = xhr.stream(query);
        assertEquals(200, stream.status);
        // OPEN arrives while the response is still open: nginx hands each chunk on (a buffering proxy
        // would hold these ~2 KB until its buffer filled or the stream ended, 25 s or more later).
        String open = stream.firstMessage();
        assertEquals(query.contains("ack") ? "[1,{\"type\":\"OPEN\"}]" : "{\"type\":\"OPEN\"}", open);
        assertFalse(stream.isEnded(), "OPEN came before the end of the response");
        assertEquals("127.0.0.1", addresses.get(id), "the client's address from X-Forwarded-For, without a port");

        bob.send(new JsonObject().put("type", "OFFER").put("dst", id).put("payload", new JsonObject().put("sdp", "v=0")));
        String offer = stream.nextLine();
        assertTrue(offer.contains("\"type\":\"OFFER\"") && offer.contains("\"src\":\"bob-" + id + "\""), offer);
        assertFalse(stream.isEnded());
        // And back: a message POST through nginx reaches the WebSocket peer.
        assertEquals(200, xhr.post("answer", "{\"type\":\"ANSWER\",\"dst\":\"bob-" + id + "\",\"payload\":{}}").status());
        assertEquals(id, bob.expectType("ANSWER").getString("src"));
      }
    }
    assertFalse(readQuietly(dir.resolve("access.log")).contains("secret-"), "tokens stay out of nginx's access log");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

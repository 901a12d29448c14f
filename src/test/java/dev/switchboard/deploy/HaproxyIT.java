package dev.switchboard.deploy;

import dev.switchboard.Switchboard;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ProxyProcess;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Debian's haproxy with the shipped docs/deploy/haproxy.cfg: TLS termination, WebSocket, health checks, X-Forwarded-For. */
@ExtendWith(VertxExtension.class)
class HaproxyIT {
  @TempDir
  Path dir;

  @Test
  void webSocketAndApiOverTlsThroughHaproxy(Vertx vertx) throws Exception {
    Map<String, String> addresses = new ConcurrentHashMap<>();
    Switchboard broker = Brokers.start(vertx, Brokers.options().setPath("/calls").setProxied(true));
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        addresses.put(peer.id(), peer.remoteAddress());
      }
    });
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(Path.of(certificate.certificatePath()))
        + Files.readString(Path.of(certificate.privateKeyPath())));
    int port = ProxyProcess.freePort();
    Files.writeString(dir.resolve("haproxy.cfg"), ProxyProcess.shipped("docs/deploy/haproxy.cfg",
        "bind :443 ssl crt /etc/ssl/switchboard/bundle.pem", "bind 127.0.0.1:" + port + " ssl crt " + bundle,
        "server broker1 127.0.0.1:9000", "server broker1 127.0.0.1:" + broker.actualPort()));
    try (ProxyProcess haproxy = ProxyProcess.start(
        List.of("/usr/sbin/haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString()), dir, port)) {
      var http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
      // The health check (GET /ready) must mark the server up before traffic flows.
      Await.until("haproxy routes to the broker", () -> {
        try {
          return Await.result(http.request(HttpMethod.GET, port, "localhost", "/calls/peerjs/id")
              .compose(r -> r.send()).map(r -> r.statusCode())) == 200;
        } catch (RuntimeException | AssertionError e) {
          return false;
        }
      }, 15);
      WebSocketClientOptions tls = new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false);
      try (TestPeer alice = TestPeer.connect(vertx, tls, new WebSocketConnectOptions().setHost("localhost").setPort(port)
               .setSsl(true).setURI("/calls/peerjs?key=peerjs&id=alice&token=secret-a"));
           TestPeer bob = TestPeer.connect(vertx, tls, new WebSocketConnectOptions().setHost("localhost").setPort(port)
               .setSsl(true).setURI("/calls/peerjs?key=peerjs&id=bob&token=secret-b"))) {
        alice.expectType("OPEN");
        bob.expectType("OPEN");
        bob.send(new JsonObject().put("type", "OFFER").put("dst", "alice").put("payload", new JsonObject()));
        assertEquals("bob", alice.expectType("OFFER").getString("src"));
        assertEquals("127.0.0.1", addresses.get("alice"));
      }
      http.close();
      assertFalse(haproxy.log().contains("secret-a"), "tokens stay out of haproxy's log:\n" + haproxy.log());
    }
  }
}

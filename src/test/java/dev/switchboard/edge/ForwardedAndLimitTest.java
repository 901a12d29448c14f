package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.proxy.ClientInfo;
import dev.switchboard.proxy.ForwardedHeaders;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --proxied with --trusted_proxies, X-Forwarded-For/Proto and Forwarded, and --ip_limit on the real address. */
@ExtendWith(VertxExtension.class)
class ForwardedAndLimitTest {

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  @Test
  void headersAreBelievedOnlyFromTrustedProxies() {
    ForwardedHeaders loopback = new ForwardedHeaders(true, dev.switchboard.transport.EdgeSettings.TRUSTED_PROXIES.defaultValue());
    assertEquals(new ClientInfo("203.0.113.7", true), loopback.resolve("127.0.0.1", false,
        headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https")));
    // A client can write its own X-Forwarded-For; the proxy appends the address it saw. The rightmost
    // untrusted hop is the client, whatever was written before it.
    assertEquals("198.51.100.9", loopback.resolve("127.0.0.1", false,
        headers("X-Forwarded-For", "1.2.3.4, 198.51.100.9")).address());
    // Proxy chains: trusted hops are skipped from the right.
    ForwardedHeaders chain = new ForwardedHeaders(true, List.of("127.0.0.1", "10.0.0.0/8"));
    assertEquals("198.51.100.9", chain.resolve("127.0.0.1", false,
        headers("X-Forwarded-For", "1.2.3.4, 198.51.100.9, 10.1.2.3")).address());
    // RFC 7239 Forwarded, with IPv6 and a port.
    ClientInfo rfc = loopback.resolve("::1", false, headers("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https"));
    assertEquals(new ClientInfo("2001:db8::1", true), rfc);
    // Untrusted sender, or not --proxied: headers ignored.
    assertEquals(new ClientInfo("192.0.2.1", false), loopback.resolve("192.0.2.1", false,
        headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https")));
    assertEquals("127.0.0.1", new ForwardedHeaders(false, List.of("127.0.0.1")).resolve("127.0.0.1", false,
        headers("X-Forwarded-For", "203.0.113.7")).address());
    // Garbage is not an address.
    assertEquals("127.0.0.1", loopback.resolve("127.0.0.1", false, headers("X-Forwarded-For", "evil.example")).address());
  }

  private static TestPeer connect(Vertx vertx, int port, String id, String forwardedFor) {
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/peerjs?key=peerjs&id=" + id + "&token=t-" + id);
    if (forwardedFor != null) {
      connect.addHeader("X-Forwarded-For", forwardedFor);
    }
    return TestPeer.connect(vertx, new WebSocketClientOptions(), connect);
  }

  @Test
  void ipLimitCountsTheForwardedAddressWhenTheProxyIsTrusted(Vertx vertx) {
    Map<String, String> addresses = new ConcurrentHashMap<>();
    Switchboard broker = Brokers.start(vertx, Brokers.options().setProxied(true).setIpLimit(1));
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        addresses.put(peer.id(), peer.remoteAddress());
      }
    });
    int port = broker.actualPort();
    try (TestPeer alice = connect(vertx, port, "alice", "203.0.113.5")) {
      alice.expectType("OPEN");
      TestPeer mallory = connect(vertx, port, "mallory", "203.0.113.5");
      TestPeer bob = connect(vertx, port, "bob", "198.51.100.6");
      Await.until("the listener sees alice", () -> addresses.containsKey("alice"), 10);
      assertEquals("203.0.113.5", addresses.get("alice"));
      mallory.expectError("203.0.113.5 has reached its concurrent user limit");
      assertEquals(CloseReason.IP_LIMIT.code(), mallory.awaitClose().code());
      bob.expectType("OPEN");
      Await.until("the listener sees bob", () -> addresses.containsKey("bob"), 10);
      assertEquals("198.51.100.6", addresses.get("bob"));
      alice.close();
      bob.close();
      // The slot is given back as soon as the broker sees the connection end.
      Await.until("the slot of 203.0.113.5 is given back", () -> {
        try (TestPeer again = connect(vertx, port, "mallory", "203.0.113.5")) {
          return "OPEN".equals(again.next().getString("type"));
        }
      }, 10);
    }
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setProxied(true).setIpLimit(1)
        .setTrustedProxies(List.of("10.0.0.0/8")));
    int port = broker.actualPort();
    try (TestPeer alice = connect(vertx, port, "alice", "203.0.113.5")) {
      alice.expectType("OPEN");
      TestPeer bob = connect(vertx, port, "bob", "198.51.100.6");
      // Both really come from 127.0.0.1, which is not a trusted proxy here: one address, limit 1.
      bob.expectError("127.0.0.1 has reached its concurrent user limit");
      bob.close();
      assertFalse(alice.isClosed());
    }
  }

  @Test
  void withoutProxiedTheSocketAddressCounts(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setIpLimit(2)).actualPort();
    try (TestPeer a = connect(vertx, port, "a", "203.0.113.1");
         TestPeer b = connect(vertx, port, "b", "203.0.113.2");
         TestPeer c = connect(vertx, port, "c", "203.0.113.3")) {
      a.expectType("OPEN");
      b.expectType("OPEN");
      c.expectError("127.0.0.1 has reached its concurrent user limit");
      assertTrue(c.awaitClose().code() == 1013);
    }
  }
}

package dev.switchboard.transport.xhr;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * XHR streams, polls and message POSTs carry a peer's session, so they are held to the WebSocket's
 * origins (--ws_origins, else --cors): a page refused a WebSocket cannot open the session over XHR.
 */
@ExtendWith(VertxExtension.class)
class XhrOriginTest {

  @Test
  void wsOriginsLimitXhrSessionsEvenWhenCorsAllowsAnyOrigin(Vertx vertx) {
    List<CloseReason> refused = new CopyOnWriteArrayList<>();
    Switchboard broker = Brokers.start(vertx, Brokers.options().setWsOrigins(List.of("https://calls.example")));
    broker.addListener(new BrokerListener() {
      @Override
      public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
        refused.add(reason);
      }
    });
    int port = broker.actualPort();
    try (XhrPeer evil = XhrPeer.of(vertx, port, "evil").header("Origin", "https://evil.example");
         XhrPeer good = XhrPeer.of(vertx, port, "good").header("Origin", "https://calls.example");
         XhrPeer tool = XhrPeer.of(vertx, port, "tool")) {
      assertEquals(403, evil.stream("i=0&ack=0").status);
      assertEquals(403, evil.stream("i=0").status);
      assertEquals(List.of(CloseReason.ORIGIN_NOT_ALLOWED, CloseReason.ORIGIN_NOT_ALLOWED), refused);
      assertEquals(0, broker.peerCount());

      assertEquals("[1,{\"type\":\"OPEN\"}]", good.stream("i=0&ack=0").firstMessage());
      // Not a browser: no Origin, nothing to hijack.
      assertEquals("{\"type\":\"OPEN\"}", tool.stream("i=0").firstMessage());
      // A message POST from another origin, even with the right token, does not act.
      XhrPeer forged = XhrPeer.of(vertx, port, "good").header("Origin", "https://evil.example");
      assertEquals(403, forged.post("leave", "{\"type\":\"LEAVE\"}").status());
      forged.close();
      assertEquals(2, broker.peerCount());
      assertEquals(200, good.post("heartbeat", "{\"type\":\"HEARTBEAT\"}").status());
    }
  }

  @Test
  void corsOriginsLimitXhrToo(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setCors(List.of("https://app.example"))).actualPort();
    try (XhrPeer evil = XhrPeer.of(vertx, port, "evil").header("Origin", "https://evil.example");
         XhrPeer good = XhrPeer.of(vertx, port, "good").header("Origin", "https://app.example")) {
      assertEquals(403, evil.stream("i=0").status);
      assertEquals("{\"type\":\"OPEN\"}", good.stream("i=0").firstMessage());
    }
  }
}

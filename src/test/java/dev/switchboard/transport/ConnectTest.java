package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The WebSocket handshake: OPEN, and each refusal with PeerServer's text and our close code. */
@ExtendWith(VertxExtension.class)
class ConnectTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    Switchboard broker = Brokers.start(vertx, Brokers.options().setConcurrentLimit(3).setMaxIdLength(10));
    port = broker.actualPort();
  }

  private void expectRefused(String query, String error, short code) {
    try (TestPeer peer = TestPeer.connectRaw(vertx, port, "/", query)) {
      peer.expectError(error);
      assertEquals(code, peer.awaitClose().code());
    }
  }

  @Test
  void newIdGetsOpen() {
    try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "t1")) {
      assertEquals("{\"type\":\"OPEN\"}", peer.nextText());
    }
  }

  @Test
  void missingIdTokenOrKeyIsRefused() {
    expectRefused("key=peerjs&token=t", ErrorText.MISSING_PARAMETERS, CloseCode.POLICY);
    expectRefused("key=peerjs&id=alice", ErrorText.MISSING_PARAMETERS, CloseCode.POLICY);
    expectRefused("id=alice&token=t", ErrorText.MISSING_PARAMETERS, CloseCode.POLICY);
    expectRefused("key=peerjs&id=&token=t", ErrorText.MISSING_PARAMETERS, CloseCode.POLICY);
  }

  @Test
  void wrongKeyIsRefused() {
    expectRefused("key=other&id=alice&token=t", ErrorText.INVALID_KEY, CloseCode.POLICY);
  }

  @Test
  void idsOutsidePeerJsRuleOrTooLongAreRefused() {
    expectRefused("key=peerjs&id=-alice&token=t", ErrorText.INVALID_ID, CloseCode.POLICY);
    expectRefused("key=peerjs&id=a%20%20b&token=t", ErrorText.INVALID_ID, CloseCode.POLICY);
    expectRefused("key=peerjs&id=al%C3%AFce&token=t", ErrorText.INVALID_ID, CloseCode.POLICY);
    expectRefused("key=peerjs&id=abcdefghijk&token=t", ErrorText.INVALID_ID, CloseCode.POLICY);
    try (TestPeer ok = TestPeer.connectRaw(vertx, port, "/", "key=peerjs&id=a%20b_c-d&token=t")) {
      ok.expectType("OPEN");
    }
  }

  @Test
  void idHeldUnderAnotherTokenIsTaken() {
    try (TestPeer alice = TestPeer.connect(vertx, port, "alice", "t1");
         TestPeer thief = TestPeer.connect(vertx, port, "alice", "t2")) {
      alice.expectType("OPEN");
      assertEquals("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}", thief.nextText());
      assertEquals(CloseCode.POLICY, thief.awaitClose().code());
      // The holder is untouched.
      alice.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":{}}");
      alice.expectType("OFFER");
    }
  }

  @Test
  void concurrentLimitRefusesTheNextPeer() {
    try (TestPeer a = TestPeer.open(vertx, port, "a");
         TestPeer b = TestPeer.open(vertx, port, "b");
         TestPeer c = TestPeer.open(vertx, port, "c")) {
      expectRefused("key=peerjs&id=d&token=t", ErrorText.CONCURRENT_LIMIT, CloseCode.TRY_AGAIN);
      c.close();
      // The slot is free again as soon as the server sees the close.
      TestPeer.openWhenFree(vertx, port, "d", "t").close();
    }
  }

  @Test
  void otherWebSocketPathsAreNotFound() {
    WebSocketClient client = vertx.createWebSocketClient();
    UpgradeRejectedException e = assertThrows(UpgradeRejectedException.class, () -> Await.result(client.connect(
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/elsewhere?key=peerjs&id=a&token=t"))));
    assertEquals(404, e.getStatus());
  }
}

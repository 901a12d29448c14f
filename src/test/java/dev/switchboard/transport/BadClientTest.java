package dev.switchboard.transport;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Junk from a client gets an ERROR and changes nothing else: the peer stays connected and routable,
 * and nobody else notices. (PeerServer throws on non-JSON and leaves a ghost peer behind.)
 */
@ExtendWith(VertxExtension.class)
class BadClientTest {
  private static final int LIMIT = 1024;
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setMaxMessageSize(LIMIT)).actualPort();
  }

  @Test
  void malformedFramesGetAnErrorAndThePeerCarriesOn() {
    String[][] cases = {
        {"not json", "not valid JSON"},
        {"{\"type\":\"OFFER\",", "not valid JSON"},
        {"[1,2]", "not a JSON object"},
        {"\"OFFER\"", "not a JSON object"},
        {"{}", "type missing"},
        {"{\"dst\":\"bob\"}", "type missing"},
        {"{\"type\":7,\"dst\":\"bob\"}", "type must be a string"},
        {"{\"type\":\"OFFER\",\"dst\":{\"id\":\"bob\"}}", "dst must be a string"},
        {"{\"type\":\"OFFER\"}", "dst missing"},
        {"{\"type\":\"OFFER\",\"dst\":\"bob\"} {}", "more than one JSON value"},
        {"{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":" + "[".repeat(100) + "]".repeat(100) + "}", "JSON nested deeper than 64 levels"},
    };
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      for (String[] c : cases) {
        alice.send(c[0]);
        alice.expectError(ErrorText.INVALID_MESSAGE + ": " + c[1]);
      }
      alice.sendBinary(Buffer.buffer("{\"type\":\"OFFER\",\"dst\":\"bob\"}"));
      alice.expectError(ErrorText.INVALID_MESSAGE + ": binary frames are not supported; send JSON text");
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\"}");
      assertEquals("alice", bob.expectType("OFFER").getString("src"));
      assertFalse(alice.isClosed());
    }
  }

  @Test
  void anOversizeFrameIsNotRelayedAndClosesOnlyTheSender() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      String padding = "x".repeat(LIMIT);
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"" + padding + "\"}");
      alice.expectError(ErrorText.MESSAGE_TOO_BIG);
      assertEquals(CloseCode.TOO_BIG, alice.awaitClose().code());
      // Bob got nothing of it and still works.
      try (TestPeer carol = TestPeer.open(vertx, port, "carol")) {
        carol.send("{\"type\":\"OFFER\",\"dst\":\"bob\"}");
        assertEquals("carol", bob.expectType("OFFER").getString("src"));
      }
    }
  }

  @Test
  void aFrameFarOverTheLimitIsRefusedByTheDecoderWith1009() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      // The broker refuses the frame from its header and closes while the client may still be writing
      // the 2 MiB: the write itself may then fail ("WebSocket is closed"); the close code is what counts.
      alice.socket().writeTextMessage("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\""
          + "x".repeat(2 * 1024 * 1024) + "\"}");
      assertEquals(CloseCode.TOO_BIG, alice.awaitClose().code());
    }
  }

  @Test
  void closingFreesTheIdAtOnce() {
    TestPeer alice = TestPeer.open(vertx, port, "alice");
    alice.send("garbage");
    alice.expectType("ERROR");
    alice.close();
    // PeerServer keeps a ghost after a thrown frame until alive_timeout; here the id is free as soon
    // as the close is seen.
    TestPeer.openWhenFree(vertx, port, "alice", "someone-else").close();
  }
}

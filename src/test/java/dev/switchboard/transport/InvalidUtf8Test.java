package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.RawWebSocket;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A text message that is not UTF-8 fails the sender's connection with 1007 (RFC 6455 8.1, as ws does
 * for PeerServer) and reaches nobody: a browser receiving it must fail its own connection, so relaying
 * or queueing it would let any peer disconnect any other by id.
 */
@ExtendWith(VertxExtension.class)
class InvalidUtf8Test {
  /** An overlong NUL, a UTF-16 surrogate, a code point past U+10FFFF. */
  static final byte[][] INVALID = {
      {(byte) 0xc0, (byte) 0x80},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
  };
  static final String NOT_UTF8 = "Invalid message: not valid UTF-8";

  private Vertx vertx;
  private int port;
  private final List<String> queuedFor = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    broker.addListener(new BrokerListener() {
      @Override
      public void messageQueued(PeerLink from, MessageType type, String dst) {
        queuedFor.add(from.id() + "->" + dst);
      }
    });
    port = broker.actualPort();
  }

  @Test
  void anInvalidMessageClosesTheSenderWith1007AndNeverReachesTheRecipient() throws IOException {
    try (TestPeer bob = TestPeer.open(vertx, port, "bob"); TestPeer dave = TestPeer.open(vertx, port, "dave")) {
      for (int i = 0; i < INVALID.length; i++) {
        try (RawWebSocket mallory = RawWebSocket.open(port, "mallory" + i)) {
          mallory.sendText(offer("bob", INVALID[i]));
          expectClosedAsNotUtf8(mallory);
        }
        // The sender was closed after its frame was handled: had it been relayed, bob would get it first.
        dave.send(validOffer("bob", "after " + i));
        assertEquals("after " + i, bob.next().getString("payload"));
      }
      assertFalse(bob.isClosed());
    }
  }

  @Test
  void anInvalidMessageForAnAbsentPeerIsNotQueued() throws IOException {
    try (TestPeer dave = TestPeer.open(vertx, port, "dave")) {
      for (int i = 0; i < INVALID.length; i++) {
        try (RawWebSocket mallory = RawWebSocket.open(port, "mallory" + i)) {
          mallory.sendText(offer("carol", INVALID[i]));
          expectClosedAsNotUtf8(mallory);
        }
      }
      dave.send(validOffer("carol", "queued"));
      // The queue is delivered oldest first, right after OPEN.
      try (TestPeer carol = TestPeer.open(vertx, port, "carol")) {
        assertEquals("queued", carol.next().getString("payload"));
        assertFalse(carol.isClosed());
      }
      assertEquals(List.of("dave->carol"), queuedFor);
    }
  }

  @Test
  void aFragmentedMessageIsCheckedWholeAcrossItsFragments() throws IOException {
    try (TestPeer bob = TestPeer.open(vertx, port, "bob"); TestPeer dave = TestPeer.open(vertx, port, "dave");
         RawWebSocket mallory = RawWebSocket.open(port, "mallory")) {
      // A character split between two fragments is fine...
      mallory.send(false, RawWebSocket.TEXT, bytes("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"caf", 0xc3));
      mallory.send(true, RawWebSocket.CONTINUATION, bytes("", 0xa9, '"', '}'));
      assertEquals("caf\u00e9", bob.next().getString("payload"));
      // ...a surrogate split across three is not.
      mallory.send(false, RawWebSocket.TEXT, bytes("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"x", 0xed));
      mallory.send(false, RawWebSocket.CONTINUATION, bytes("", 0xa0));
      mallory.send(true, RawWebSocket.CONTINUATION, bytes("", 0x80, '"', '}'));
      expectClosedAsNotUtf8(mallory);
      dave.send(validOffer("bob", "after"));
      assertEquals("after", bob.next().getString("payload"));
    }
  }

  @Test
  void aCloseFrameWhoseReasonIsNotUtf8IsAnsweredWith1007() throws IOException {
    try (RawWebSocket mallory = RawWebSocket.open(port, "mallory")) {
      mallory.sendClose(1000, INVALID[0]);
      RawWebSocket.Frame frame = mallory.read();
      if (frame.opcode() == RawWebSocket.TEXT) {
        frame = mallory.read(); // the ERROR notice
      }
      assertEquals(RawWebSocket.CLOSE, frame.opcode());
      assertEquals(1007, frame.closeCode());
      assertTrue(mallory.isEnded());
    }
  }

  // The ERROR notice, then close 1007; the server ends the connection once its close is answered.
  private static void expectClosedAsNotUtf8(RawWebSocket ws) throws IOException {
    RawWebSocket.Frame notice = ws.read();
    assertEquals(RawWebSocket.TEXT, notice.opcode(), notice.text());
    assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"" + NOT_UTF8 + "\"}}", notice.text());
    RawWebSocket.Frame close = ws.read();
    assertEquals(RawWebSocket.CLOSE, close.opcode());
    assertEquals(1007, close.closeCode());
    ws.sendClose(1007, new byte[0]);
    assertTrue(ws.isEnded());
  }

  /** An OFFER whose SDP string holds {@code bad}. */
  static byte[] offer(String dst, byte[] bad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("{\"type\":\"OFFER\",\"dst\":\"" + dst + "\",\"payload\":{\"type\":\"data\",\"sdp\":\"v=0 ")
        .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bad);
    out.writeBytes("\",\"connectionId\":\"dc_1\"}}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static String validOffer(String dst, String payload) {
    return "{\"type\":\"OFFER\",\"dst\":\"" + dst + "\",\"payload\":\"" + payload + "\"}";
  }

  private static byte[] bytes(String ascii, int... more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii.getBytes(StandardCharsets.US_ASCII));
    for (int b : more) {
      out.write(b);
    }
    return out.toByteArray();
  }
}

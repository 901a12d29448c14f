package dev.switchboard.transport.xhr;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message POSTs that are refused: malformed (400), unknown or wrong token (401), too large (413). */
@ExtendWith(VertxExtension.class)
class XhrBadRequestTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options().setMaxMessageSize(1024)).actualPort();
  }

  @Test
  void malformedJsonIs400AndNothingIsRelayed() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = alice.stream("i=0");
      stream.firstMessage();
      for (String body : new String[] {"{\"type\":\"OFFER\",\"dst\":\"bob\"", "not json", "[1]", "{\"dst\":\"bob\"}", ""}) {
        assertEquals(400, alice.post("offer", body).status(), body);
      }
      assertEquals(200, alice.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"ok\"}").status());
      assertEquals("ok", bob.next().getString("payload"));
      stream.expectNothing(50); // no ERROR pushed to the stream: the status said it
    }
  }

  @Test
  void aBodyThatIsNotUtf8Is400AndReachesNobody() {
    byte[][] invalid = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = alice.stream("i=0");
      stream.firstMessage();
      for (byte[] bad : invalid) {
        for (String dst : new String[] {"bob", "carol"}) {
          XhrPeer.Reply reply = alice.post("offer", offerWith(dst, bad));
          assertEquals(400, reply.status());
          assertEquals("Invalid message: not valid UTF-8", reply.body());
        }
      }
      // Had any been relayed or queued, it would come before these.
      assertEquals(200, alice.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"ok\"}").status());
      assertEquals("ok", bob.next().getString("payload"));
      assertEquals(200, alice.post("offer", "{\"type\":\"OFFER\",\"dst\":\"carol\",\"payload\":\"ok\"}").status());
      try (TestPeer carol = TestPeer.open(vertx, port, "carol")) {
        assertEquals("ok", carol.next().getString("payload"));
      }
    }
  }

  private static byte[] offerWith(String dst, byte[] bad) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(("{\"type\":\"OFFER\",\"dst\":\"" + dst + "\",\"payload\":{\"sdp\":\"v=0 ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bad);
    out.writeBytes("\"}}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void unknownIdIs401AfterTheRetry() {
    try (XhrPeer ghost = XhrPeer.of(vertx, port, "ghost")) {
      long started = System.nanoTime();
      XhrPeer.Reply reply = ghost.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\"}");
      assertEquals(401, reply.status());
      assertTrue(System.nanoTime() - started >= XhrTransport.RETRY_DELAY_MS * 1_000_000, "answered before the retry");
    }
  }

  @Test
  void wrongTokenIs401AndNothingIsRelayed() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice");
         XhrPeer mallory = XhrPeer.of(vertx, port, "peerjs", "alice", "guess");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.stream("i=0").firstMessage();
      assertEquals(401, mallory.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\"}").status());
      bob.expectNothing(Duration.ofMillis(50));
    }
  }

  @Test
  void wrongKeyIs401() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); XhrPeer wrong = XhrPeer.of(vertx, port, "nope", "alice", "token-alice")) {
      alice.stream("i=0").firstMessage();
      assertEquals(401, wrong.post("offer", "{\"type\":\"OFFER\",\"dst\":\"bob\"}").status());
    }
  }

  @Test
  void overTheSizeLimitIs413AndThePeerStays() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.stream("i=0").firstMessage();
      String big = "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\"" + "x".repeat(2000) + "\"}";
      assertEquals(413, alice.post("offer", big).status());
      assertEquals(200, alice.post("candidate", "{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":\"after\"}").status());
      assertEquals("after", bob.next().getString("payload"));
    }
  }

  @Test
  void unknownMessageTypeInThePathIsNotFound() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice")) {
      alice.stream("i=0").firstMessage();
      assertEquals(404, alice.post("whisper", "{\"type\":\"OFFER\",\"dst\":\"bob\"}").status());
    }
  }
}

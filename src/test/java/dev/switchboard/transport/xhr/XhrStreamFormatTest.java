package dev.switchboard.transport.xhr;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.XhrPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a stream and a poll look like on the wire, for PeerJS 0.3.x and for the add-on. */
@ExtendWith(VertxExtension.class)
class XhrStreamFormatTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    port = Brokers.start(vertx, Brokers.options()).actualPort();
  }

  @Test
  void legacyStreamIsPaddingThenOpenThenOneMessagePerLine() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = alice.stream("i=0");
      assertEquals(200, stream.status);
      assertEquals("application/octet-stream", stream.contentType);
      assertEquals("{\"type\":\"OPEN\"}", stream.firstMessage());
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":{\"sdp\":\"x\"}}");
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"alice\",\"payload\":1}");
      assertEquals("{\"type\":\"OFFER\",\"dst\":\"alice\",\"payload\":{\"sdp\":\"x\"},\"src\":\"bob\"}", stream.nextLine());
      assertEquals("{\"type\":\"CANDIDATE\",\"dst\":\"alice\",\"payload\":1,\"src\":\"bob\"}", stream.nextLine());
    }
  }

  @Test
  void anIdHeldUnderAnotherTokenGetsHttpError() {
    try (TestPeer holder = TestPeer.open(vertx, port, "alice");
         XhrPeer thief = XhrPeer.of(vertx, port, "peerjs", "alice", "other-token")) {
      XhrPeer.Stream stream = thief.stream("i=0");
      assertEquals("{\"type\":\"HTTP-ERROR\"}", stream.firstMessage());
      stream.awaitEnd();
      holder.send("{\"type\":\"HEARTBEAT\"}");
      holder.expectNothing(java.time.Duration.ofMillis(50));
    }
  }

  @Test
  void aWrongKeyGetsHttpError() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "wrongkey", "alice", "t")) {
      XhrPeer.Stream stream = alice.stream("i=0");
      assertEquals("{\"type\":\"HTTP-ERROR\"}", stream.firstMessage());
      stream.awaitEnd();
    }
  }

  @Test
  void sequencedStreamNumbersEveryMessage() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream stream = alice.stream("i=0&ack=0");
      assertEquals("[1,{\"type\":\"OPEN\"}]", stream.firstMessage());
      bob.send("{\"type\":\"OFFER\",\"dst\":\"alice\"}");
      assertEquals("[2,{\"type\":\"OFFER\",\"dst\":\"alice\",\"src\":\"bob\"}]", stream.nextLine());
    }
  }

  @Test
  void sequencedRefusalIsANoticeOutsideTheSequence() {
    try (TestPeer holder = TestPeer.open(vertx, port, "alice");
         XhrPeer thief = XhrPeer.of(vertx, port, "peerjs", "alice", "other-token")) {
      XhrPeer.Stream stream = thief.stream("i=0&ack=0");
      assertEquals("[0,{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}]", stream.firstMessage());
      stream.awaitEnd();
    }
  }

  @Test
  void aPollIsAnsweredWithABatchAndTheNextPollContinues() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      XhrPeer.Stream first = alice.stream("i=0&ack=0&poll=1");
      assertEquals("[1,{\"type\":\"OPEN\"}]", first.nextLine());
      first.awaitEnd();
      XhrPeer.Stream second = alice.stream("i=1&ack=1&poll=1");
      bob.send("{\"type\":\"ANSWER\",\"dst\":\"alice\"}");
      assertEquals("[2,{\"type\":\"ANSWER\",\"dst\":\"alice\",\"src\":\"bob\"}]", second.nextLine());
      assertEquals("", second.awaitEnd());
    }
  }

  @Test
  void aSessionThatEndedAnswers410ToTheAddOn() {
    try (XhrPeer alice = XhrPeer.of(vertx, port, "alice")) {
      assertEquals(410, alice.stream("i=3&ack=7").status);
    }
  }
}

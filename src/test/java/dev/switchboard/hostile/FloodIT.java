package dev.switchboard.hostile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods: messages for absent peers (the offline queue), receivers that stop reading (a WebSocket, and a
 * PeerJS 0.3.x XHR stream, which has no acknowledgements), and a sender relaying as fast as it can. Memory
 * must stay bounded — in bytes, not only in messages — and the control pair must not notice.
 */
class FloodIT extends HostileSuite {
  private static final String BIG = "z".repeat(60_000);
  // Long enough for the whole flood to be queued at once; the queue test then waits for the expiry.
  private static final int EXPIRE_MS = 10_000;
  /** Half the broker's heap (-Xmx256m): a byte bound on the queues should keep them well under it. */
  private static final long HALF_THE_HEAP_KIB = 128 * 1024;

  @BeforeAll
  static void start() {
    startBroker("floods", "--expire_timeout", String.valueOf(EXPIRE_MS));
  }

  private static String candidate(String dst) {
    return "{\"type\":\"CANDIDATE\",\"dst\":\"" + dst + "\",\"payload\":\"" + BIG + "\"}";
  }

  /**
   * 360 MB of 60 KB messages for 120 absent peers: under the default count limits (1000 per peer,
   * 100 000 in all), and more than the broker's whole heap (256 MiB here), all sent before the first
   * queue expires. The queues must be bounded in bytes: the broker keeps running, and with the queues
   * full its heap after GC is under half of the heap; once they expire it is back near its start (the
   * suite's last check).
   */
  @Test
  @Order(3)
  // A broker that runs out of memory stops reading, and the flood's writes would block: fail instead.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aQueueFloodOfLargeMessagesIsBoundedInBytes() throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("queue")).drainInBackground();
    for (int i = 0; i < 6000; i++) {
      attacker.text(candidate("absent" + (i % 120)));
    }
    long heap = broker.heapAfterGcKiB();
    assertTrue(heap <= HALF_THE_HEAP_KIB, () -> "heap after GC with the queues full: " + heap + " KiB");
    dev.switchboard.support.Await.until("the flood's queues expire", () -> dev.switchboard.support.HttpGet
        .text(port(), "/metrics").contains("\nswitchboard_queued_messages 0.0\n"), 2 * EXPIRE_MS / 1000 + 5);
  }

  /** A WebSocket receiver that stops reading is ended as a slow consumer while its socket is still open. */
  @Test
  @Order(1)
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWebSocketReceiverThatStopsReadingIsEnded() throws Exception {
    String sink = attackerId("wssink");
    RawWebSocket receiver = attack(RawWebSocket.tcpWithReceiveBuffer(port(), 4096));
    receiver.writeAscii(RawWebSocket.upgradeRequest(sink, "t"));
    floodUntilGone(sink);
  }

  /**
   * A PeerJS 0.3.x XHR stream ({@code i=0}, no {@code ack}) that stops reading: its outbox must be
   * bounded by send_buffer like a WebSocket's, the peer ended as a slow consumer.
   */
  @Test
  @Order(2)
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anXhrStreamThatStopsReadingIsEnded() throws Exception {
    String sink = attackerId("xhrsink");
    RawWebSocket stream = attack(RawWebSocket.tcpWithReceiveBuffer(port(), 4096));
    stream.post("/peerjs/" + sink + "/t/id?i=0", new byte[0]);
    floodUntilGone(sink);
  }

  // Sends 60 KB messages to `sink` (up to 120 MB) until the broker no longer lists it; then checks the heap.
  private void floodUntilGone(String sink) throws Exception {
    broker.awaitPeers(controlAnd(sink), Duration.ofSeconds(10));
    String senderId = attackerId("flooder");
    RawWebSocket sender = attackerPeer(senderId).drainInBackground();
    boolean gone = false;
    for (int i = 0; i < 2000 && !gone; i++) {
      sender.text(candidate(sink));
      gone = i % 100 == 99 && !broker.peers().contains(sink);
    }
    // The sink's connection is still open: only the broker can have ended it.
    broker.awaitPeers(controlAnd(senderId), Duration.ofSeconds(10));
    long heap = broker.heapAfterGcKiB();
    assertTrue(heap <= heapAtStartKiB() + HEAP_MARGIN_KIB, () -> "heap after GC with " + sink + " flooded: " + heap + " KiB");
  }

  /** 20 000 small messages as fast as one sender can write them, relayed back to itself. */
  @Test
  @Order(4)
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSenderRelayingAsFastAsItCanDoesNotDelayTheControlPairOut() throws Exception {
    String id = attackerId("fast");
    RawWebSocket attacker = attackerPeer(id);
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      frames.writeBytes(RawWebSocket.encode(true, 0, RawWebSocket.TEXT, true,
          ("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\",\"payload\":{\"i\":" + i + "}}").getBytes()));
    }
    byte[] batch = frames.toByteArray();
    Thread writer = new Thread(() -> {
      try {
        for (int i = 0; i < 20; i++) {
          attacker.writeRaw(batch);
        }
        attacker.text("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\",\"payload\":\"done\"}");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "fast sender");
    writer.start();
    // Everything comes back, the marker last: the whole flood went through the broker while the control pair relayed.
    int relayed = 0;
    for (RawWebSocket.Frame frame; !(frame = attacker.readFrame()).text().contains("\"done\""); ) {
      relayed++;
    }
    writer.join();
    assertEquals(20_000, relayed);
  }
}

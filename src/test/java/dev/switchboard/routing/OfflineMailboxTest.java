package dev.switchboard.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OfflineMailboxTest {
  private static byte[] m(int n) {
    return new byte[] {(byte) n};
  }

  @Test
  void takeReturnsMessagesOldestFirstAndEmptiesTheQueue() {
    OfflineMailbox mailbox = new OfflineMailbox(10, 100);
    mailbox.offer("bob", "alice", m(1), 0);
    mailbox.offer("bob", "carol", m(2), 1);
    List<OfflineMailbox.Pending> taken = mailbox.take("bob");
    assertEquals(2, taken.size());
    assertEquals(1, taken.get(0).message()[0]);
    assertEquals("carol", taken.get(1).sender());
    assertEquals(0, mailbox.total());
    assertEquals(List.of(), mailbox.take("bob"));
  }

  @Test
  void aQueueExpiresTimeoutAfterItWasStartedWithOneNoticePerSender() {
    OfflineMailbox mailbox = new OfflineMailbox(10, 100);
    mailbox.offer("bob", "alice", m(1), 1000);
    mailbox.offer("bob", "alice", m(2), 3000);
    mailbox.offer("bob", "carol", m(3), 4000);
    mailbox.offer("dave", "alice", m(4), 4000);
    assertEquals(List.of(), mailbox.expire(5999, 5000));
    assertEquals(List.of(new OfflineMailbox.Expiry("bob", "alice"), new OfflineMailbox.Expiry("bob", "carol")),
        mailbox.expire(6000, 5000));
    assertEquals(1, mailbox.total());
    assertEquals(List.of(new OfflineMailbox.Expiry("dave", "alice")), mailbox.expire(9000, 5000));
    assertEquals(0, mailbox.total());
  }

  @Test
  void aHeldQueueOutlivesTheExpireTimeoutUntilItsHoldAndAReleasedOneExpiresAgain() {
    OfflineMailbox mailbox = new OfflineMailbox(10, 100);
    mailbox.offer("bob", "alice", m(1), 1000);
    mailbox.offer("carol", "alice", m(2), 1000);
    assertEquals(true, mailbox.hold("bob", 61_000));
    assertEquals(true, mailbox.hold("carol", 61_000));
    assertEquals(false, mailbox.hold("nobody", 61_000));
    assertEquals(List.of(), mailbox.expire(30_000, 5000));
    assertEquals(true, mailbox.hold("carol", 0));
    assertEquals(List.of(new OfflineMailbox.Expiry("carol", "alice")), mailbox.expire(30_001, 5000));
    assertEquals(List.of(new OfflineMailbox.Expiry("bob", "alice")), mailbox.expire(61_000, 5000));
  }

  @Test
  void perPeerOverflowRefusesTheNewestAndTellsEachSenderOnce() {
    OfflineMailbox mailbox = new OfflineMailbox(2, 100);
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", m(1), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", m(2), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("bob", "alice", m(3), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED_TOLD, mailbox.offer("bob", "alice", m(4), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("bob", "carol", m(5), 0));
    assertEquals(2, mailbox.size("bob"));
    // At expiry, alice and carol were already told; nobody is told twice.
    assertEquals(List.of(), mailbox.expire(10_000, 5000));
  }

  @Test
  void theTotalBoundHoldsAcrossDestinations() {
    OfflineMailbox mailbox = new OfflineMailbox(10, 3);
    mailbox.offer("a", "x", m(1), 0);
    mailbox.offer("b", "x", m(2), 0);
    mailbox.offer("c", "x", m(3), 0);
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("d", "x", m(4), 0));
    assertEquals(3, mailbox.total());
    mailbox.take("a");
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("d", "x", m(4), 0));
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  private static OfflineMailbox bytesBounded(long perPeer, long perSender, long total) {
    return new OfflineMailbox(new OfflineMailbox.Limits(100, 1000, perPeer, perSender, total));
  }

  @Test
  void aDestinationHoldsAtMostItsBytesAndEachSenderIsToldOnce() {
    OfflineMailbox mailbox = bytesBounded(10, Long.MAX_VALUE, Long.MAX_VALUE);
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", bytes(4), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "carol", bytes(6), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("bob", "alice", bytes(1), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED_TOLD, mailbox.offer("bob", "alice", bytes(1), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("dave", "alice", bytes(10), 0));
    assertEquals(20, mailbox.totalQueuedBytes());
    assertEquals(2, mailbox.take("bob").size());
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", bytes(10), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("dave", "alice", bytes(1), 0));
    // Told on overflow for dave's queue, alice is not told again at its expiry; bob's is a new queue.
    assertEquals(List.of(new OfflineMailbox.Expiry("bob", "alice")), mailbox.expire(10_000, 5000));
    assertEquals(0, mailbox.totalQueuedBytes());
  }

  @Test
  void aSenderHoldsAtMostItsBytesAndOthersStillQueue() {
    OfflineMailbox mailbox = bytesBounded(Long.MAX_VALUE, 10, Long.MAX_VALUE);
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "mallory", bytes(6), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("carol", "mallory", bytes(4), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("bob", "mallory", bytes(1), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("dave", "mallory", bytes(1), 0));
    assertEquals(10, mailbox.queuedBytesFrom("mallory"));
    // A well-behaved sender still reaches the same peers and others.
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", bytes(8), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("dave", "alice", bytes(2), 0));
    // Delivered messages give their sender's room back.
    assertEquals(2, mailbox.take("bob").size());
    assertEquals(4, mailbox.queuedBytesFrom("mallory"));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("erin", "mallory", bytes(6), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("erin", "alice", bytes(9), 0));
  }

  @Test
  void theByteTotalHoldsAcrossDestinationsAndSenders() {
    OfflineMailbox mailbox = bytesBounded(Long.MAX_VALUE, Long.MAX_VALUE, 10);
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("bob", "alice", bytes(5), 0));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("carol", "dave", bytes(5), 0));
    assertEquals(OfflineMailbox.Offer.REJECTED, mailbox.offer("erin", "frank", bytes(1), 0));
    assertEquals(10, mailbox.totalQueuedBytes());
    assertEquals(2, mailbox.totalQueued());
    mailbox.expire(10_000, 5000);
    assertEquals(0, mailbox.totalQueuedBytes());
    assertEquals(0, mailbox.queuedBytesFrom("alice"));
    assertEquals(OfflineMailbox.Offer.QUEUED, mailbox.offer("erin", "frank", bytes(10), 10_000));
  }
}

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
}

package dev.switchboard.routing;

import dev.switchboard.support.FakeLink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalPeerDirectoryTest {

  @Test
  void racingClaimsForOneIdAdmitExactlyOne() throws Exception {
    LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.SAME_TOKEN, 1000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Admission>> claims = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        FakeLink link = new FakeLink("alice", "token-" + i, 0);
        claims.add(pool.submit(() -> {
          go.await();
          return directory.claimNow(link);
        }));
      }
      go.countDown();
      int opened = 0;
      for (Future<Admission> claim : claims) {
        Admission.Outcome outcome = claim.get().outcome();
        if (outcome == Admission.Outcome.OPENED) {
          opened++;
        } else {
          assertEquals(Admission.Outcome.TAKEN, outcome);
        }
      }
      assertEquals(1, opened);
      assertEquals(1, directory.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theConcurrentLimitIsExactAndFreedByRemoval() {
    LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.SAME_TOKEN, 2);
    FakeLink a = new FakeLink("a", "t", 0);
    assertEquals(Admission.OPENED, directory.claimNow(a));
    assertEquals(Admission.OPENED, directory.claimNow(new FakeLink("b", "t", 0)));
    assertEquals(Admission.LIMIT, directory.claimNow(new FakeLink("c", "t", 0)));
    assertTrue(directory.remove(a));
    assertFalse(directory.remove(a));
    assertEquals(Admission.OPENED, directory.claimNow(new FakeLink("c", "t", 0)));
    assertEquals(2, directory.size());
  }

  @Test
  void aClosedHolderIsAGhostAnyoneMayReplace() {
    LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.SAME_TOKEN, 10);
    FakeLink ghost = new FakeLink("alice", "t1", 0);
    directory.claimNow(ghost);
    ghost.close(dev.switchboard.protocol.CloseReason.CLIENT_CLOSED);
    FakeLink next = new FakeLink("alice", "t2", 0);
    assertEquals(Admission.OPENED, directory.claimNow(next));
    assertSame(next, directory.lookup("alice"));
    assertFalse(directory.remove(ghost));
    assertEquals(1, directory.size());
  }
}

package dev.switchboard.calls;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.ListenerSet;
import dev.switchboard.routing.LocalPeerDirectory;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import dev.switchboard.support.Await;
import dev.switchboard.support.FakeLink;
import dev.switchboard.support.ManualClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contacts remembered for LEAVE-on-disconnect are bounded per peer, keeping the most recent. */
class ContactBoundTest {
  private final ManualClock clock = new ManualClock();
  private final ListenerSet listeners = new ListenerSet();
  private final SignalRouter router = new SignalRouter(new LocalPeerDirectory(TakeoverRule.forOnDuplicate("reject"), 1000),
      new OfflineMailbox(10, 100), clock, 5_000, 90_000, listeners);
  private final List<Runnable> due = new ArrayList<>();

  private FakeLink connect(String id) {
    FakeLink link = new FakeLink(id, "t", clock.millis());
    Await.result(router.connect(link));
    link.sent.clear();
    return link;
  }

  @Test
  void onlyTheMostRecentContactsAreLeft() {
    Departures departures = new Departures((ms, task) -> due.add(task), router.broker());
    listeners.add(departures);
    LeaveOnDisconnect leave = new LeaveOnDisconnect(router.broker(), departures, 1_000);
    listeners.add(leave);
    FakeLink alice = connect("alice");
    List<FakeLink> others = new ArrayList<>();
    int count = LeaveOnDisconnect.MAX_CONTACTS + 6;
    for (int i = 0; i < count; i++) {
      FakeLink other = connect("p" + i);
      others.add(other);
      router.receive(alice, ("{\"type\":\"CANDIDATE\",\"dst\":\"p" + i + "\",\"payload\":{}}").getBytes(StandardCharsets.UTF_8));
      other.sent.clear();
    }
    assertEquals(1, leave.remembered());
    router.disconnected(alice, CloseReason.CLIENT_CLOSED);
    due.forEach(Runnable::run);
    for (int i = 0; i < count; i++) {
      List<String> got = others.get(i).sent;
      if (i < 6) {
        assertTrue(got.isEmpty(), "p" + i + " got " + got);
      } else {
        assertEquals(List.of("{\"type\":\"LEAVE\",\"src\":\"alice\",\"dst\":\"p" + i + "\"}"), got);
      }
    }
    assertEquals(0, leave.remembered());
  }
}

package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.support.Await;
import dev.switchboard.support.FakeLink;
import dev.switchboard.support.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** "Peer X is gone": only after its delay, only if it has not come back, and once per departure. */
class DeparturesTest {
  private final ManualClock clock = new ManualClock();
  private final List<Runnable> due = new ArrayList<>();
  private final ListenerSet listeners = new ListenerSet();
  private final SignalRouter router = new SignalRouter(new LocalPeerDirectory(TakeoverRule.forOnDuplicate("takeover"), 100),
      new OfflineMailbox(10, 100), clock, 5_000, 90_000, listeners);
  private final Departures departures = new Departures((ms, task) -> due.add(task), router.broker());
  private final List<String> gone = new ArrayList<>();
  private final List<String> back = new ArrayList<>();

  DeparturesTest() {
    listeners.add(departures);
    departures.subscribe(10_000, d -> gone.add(d.peerId() + "/" + d.userId()), d -> back.add(d.peerId()));
  }

  private FakeLink connect(String id, String user) {
    FakeLink link = new FakeLink(id, "t", clock.millis());
    link.bindUser(user);
    Await.result(router.connect(link));
    return link;
  }

  private void timersFire() {
    List<Runnable> now = List.copyOf(due);
    due.clear();
    now.forEach(Runnable::run);
  }

  @Test
  void aPeerThatStaysAwayIsGoneOnce() {
    FakeLink bob = connect("bob-phone", "bob");
    router.disconnected(bob, CloseReason.CLIENT_CLOSED);
    assertEquals(List.of(), gone);
    timersFire();
    assertEquals(List.of("bob-phone/bob"), gone);
    assertEquals(0, departures.watching());
  }

  @Test
  void aPeerBackWithinTheDelayIsNotGone() {
    FakeLink bob = connect("bob-phone", "bob");
    router.disconnected(bob, CloseReason.CLIENT_CLOSED);
    connect("bob-phone", "bob");
    timersFire();
    assertEquals(List.of(), gone);
    assertEquals(List.of("bob-phone"), back);
  }

  @Test
  void onlyTheLatestDepartureOfAnIdCounts() {
    FakeLink first = connect("bob-phone", "bob");
    router.disconnected(first, CloseReason.CLIENT_CLOSED);
    FakeLink second = connect("bob-phone", "bob");
    router.disconnected(second, CloseReason.CLIENT_CLOSED);
    timersFire();
    assertEquals(List.of("bob-phone/bob"), gone);
  }

  @Test
  void aTakeoverIsNoDeparture() {
    connect("bob-phone", "bob");
    connect("bob-phone", "bob");
    timersFire();
    assertEquals(List.of(), gone);
  }
}

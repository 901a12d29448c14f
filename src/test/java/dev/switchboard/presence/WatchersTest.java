package dev.switchboard.presence;

import dev.switchboard.support.FakeLink;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One node's watchers: scope, batching per watcher, order by version, room mates without watching. */
class WatchersTest {
  private record Sent(String peer, JsonObject payload) {
  }

  private final List<Runnable> due = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private final List<Sent> sent = new ArrayList<>();
  private final MemoryRooms rooms = new MemoryRooms();
  private final int[] watching = new int[1];
  private final int[] pushed = new int[1];
  private Watchers watchers;

  @BeforeEach
  void setUp() {
    watchers = watchers(false);
  }

  private Watchers watchers(boolean discovery) {
    PresenceMetrics metrics = new PresenceMetrics() {
      @Override
      public void presencePushed(int users) {
        pushed[0] += users;
      }

      @Override
      public void presenceWatchers(int delta) {
        watching[0] += delta;
      }
    };
    Watchers made = new Watchers(new PresenceScope(discovery, rooms), (ms, task) -> {
      delays.add(ms);
      due.add(task);
    }, 200, 3, 5, (peer, payload) -> sent.add(new Sent(peer, payload)), metrics);
    rooms.addListener(change -> {
      if (change.kind() == dev.switchboard.rooms.RoomChange.Kind.JOINED) {
        made.joinedRoom(change.member().peerId(), change.roomId());
      } else {
        made.leftRoom(change.member().peerId(), change.roomId());
      }
    });
    return made;
  }

  // The batch time passes: every flush that was due runs.
  private void batchTimePasses() {
    List<Runnable> now = new ArrayList<>(due);
    due.clear();
    now.forEach(Runnable::run);
  }

  private static FakeLink link(String id, String... contacts) {
    FakeLink link = new FakeLink(id, "t", 0);
    link.bindUser(id);
    link.bindContacts(Set.of(contacts));
    return link;
  }

  private static PresenceView view(String user, String status, long version) {
    return new PresenceView(user, status, null, 1, version);
  }

  @Test
  void changesAreBatchedPerWatcherAndSentNewestFirstInOrder() {
    FakeLink alice = link("alice", "bob", "carol");
    watchers.connected(alice, "alice");
    assertEquals(List.of("bob", "carol"), watchers.watch(alice, List.of("bob", "carol")));
    watchers.changed(view("bob", "online", 1));
    watchers.changed(view("carol", "online", 5));
    watchers.changed(view("bob", "away", 3));
    watchers.changed(view("bob", "online", 2)); // older than what is queued: dropped
    assertTrue(sent.isEmpty(), "nothing before the batch time");
    assertEquals(List.of(200L), delays, "one timer for the batch");
    batchTimePasses();
    assertEquals(1, sent.size());
    JsonObject users = sent.get(0).payload().getJsonObject("users");
    assertEquals("away", users.getJsonObject("bob").getString("status"));
    assertEquals("online", users.getJsonObject("carol").getString("status"));
    assertEquals(2, pushed[0]);
    watchers.changed(view("bob", "busy", 3)); // not newer than what alice has
    watchers.changed(view("carol", "dnd", 4));
    assertTrue(due.isEmpty(), "nothing newer, nothing queued");
  }

  @Test
  void onlyAWatchedUserOrOneWithRoomMatesConcernsAnyoneHere() {
    FakeLink alice = link("alice", "bob");
    watchers.connected(alice, "alice");
    assertFalse(watchers.anyoneCares("bob"));
    watchers.watch(alice, List.of("bob"));
    assertTrue(watchers.anyoneCares("bob"));
    watchers.unwatch(alice, List.of("bob"));
    assertFalse(watchers.anyoneCares("bob"));
    assertFalse(watchers.anyoneCares("carol"));
    rooms.join("r1", "carol", "carol");
    rooms.join("r1", "dave", "dave");
    assertTrue(watchers.anyoneCares("carol"), "a room mate hears of carol without watching");
  }

  @Test
  void outOfScopeUsersAreAbsentAndStopWhenTheRoomIsLeft() {
    FakeLink alice = link("alice");
    FakeLink bob = link("bob");
    watchers.connected(alice, "alice");
    watchers.connected(bob, "bob");
    assertEquals(List.of("alice"), watchers.watch(alice, List.of("mallory", "alice")), "self is in scope");
    watchers.changed(view("mallory", "online", 1));
    batchTimePasses();
    assertTrue(sent.isEmpty(), "a watched user out of scope is never pushed");
    rooms.join("r1", "alice", "alice");
    rooms.join("r1", "mallory-phone", "mallory");
    watchers.changed(view("mallory", "away", 2));
    batchTimePasses();
    assertEquals(List.of(new Sent("alice", new JsonObject().put("users",
        new JsonObject().put("mallory", view("mallory", "away", 2).entry())))), sent);
    watchers.changed(view("mallory", "online", 3));
    rooms.leave("r1", "mallory-phone");
    batchTimePasses();
    assertEquals(1, sent.size(), "scope is checked when the frame is made: left the room, not pushed");
  }

  @Test
  void roomMatesArePushedWithoutWatching() {
    FakeLink alice = link("alice");
    watchers.connected(alice, "alice");
    watchers.changed(view("bob", "online", 1));
    batchTimePasses();
    assertTrue(sent.isEmpty());
    rooms.join("r1", "alice", "alice");
    rooms.join("r1", "bob", "bob");
    watchers.changed(view("bob", "away", 2));
    batchTimePasses();
    assertEquals("away", sent.get(0).payload().getJsonObject("users").getJsonObject("bob").getString("status"));
    assertEquals(0, watching[0], "a room member is not a watcher");
  }

  @Test
  void theWatchEntriesOfAllPeersTogetherAreBounded() {
    watchers = watchers(true);
    FakeLink alice = link("alice");
    FakeLink bob = link("bob");
    watchers.connected(alice, "alice");
    watchers.connected(bob, "bob");
    watchers.watch(alice, List.of("x", "y", "z"));
    watchers.watch(bob, List.of("x", "y"));
    PresenceError full = assertThrows(PresenceError.class, () -> watchers.watch(bob, List.of("z")));
    assertEquals("limit", full.code());
    assertTrue(full.getMessage().contains("presence_max_watch_total"), full.getMessage());
    watchers.unwatch(alice, List.of("x"));
    watchers.watch(bob, List.of("z"));
    // Alice's connection ends: her two entries are freed for others.
    watchers.disconnected(alice);
    FakeLink carol = link("carol");
    watchers.connected(carol, "carol");
    assertEquals(List.of("v", "w"), watchers.watch(carol, List.of("v", "w")));
    assertThrows(PresenceError.class, () -> watchers.watch(carol, List.of("u")));
  }

  @Test
  void discoveryShowsEveryoneAndTheWatchListIsBounded() {
    watchers = watchers(true);
    FakeLink alice = link("alice");
    watchers.connected(alice, "alice");
    assertEquals(List.of("x", "y", "z"), watchers.watch(alice, List.of("x", "y", "z")));
    assertEquals(1, watching[0]);
    PresenceError limit = assertThrows(PresenceError.class, () -> watchers.watch(alice, List.of("w")));
    assertEquals("limit", limit.code());
    watchers.watch(alice, List.of("x"));
    watchers.unwatch(alice, List.of("x", "y", "z"));
    assertEquals(0, watching[0]);
    watchers.changed(view("x", "online", 1));
    assertTrue(due.isEmpty(), "unwatched: nothing queued");
  }

  @Test
  void aSnapshotIsNeverOlderThanWhatWasSentAndDropsOlderQueuedChanges() {
    FakeLink alice = link("alice", "bob");
    watchers.connected(alice, "alice");
    watchers.watch(alice, List.of("bob"));
    watchers.changed(view("bob", "away", 7));
    batchTimePasses();
    watchers.changed(view("bob", "online", 8));
    watchers.snapshot(alice, List.of(view("bob", "dnd", 9), view("bob", "busy", 6)));
    JsonObject snapshot = sent.get(1).payload();
    assertTrue(snapshot.getBoolean("snapshot"));
    batchTimePasses();
    assertEquals(2, sent.size(), "the queued version 8 is older than the snapshot's 9");
  }

  @Test
  void aDisconnectEndsTheWatchListButATakeoverKeepsTheNewLink() {
    FakeLink old = link("alice", "bob");
    FakeLink replacement = link("alice", "bob");
    watchers.connected(old, "alice");
    watchers.watch(old, List.of("bob"));
    watchers.connected(replacement, "alice");
    watchers.disconnected(old);
    assertEquals(0, watching[0]);
    watchers.watch(replacement, List.of("bob"));
    watchers.changed(view("bob", "online", 1));
    batchTimePasses();
    assertEquals(1, sent.size());
    watchers.disconnected(replacement);
    watchers.changed(view("bob", "away", 2));
    batchTimePasses();
    assertEquals(1, sent.size());
  }
}

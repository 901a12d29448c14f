package dev.switchboard.rooms;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node's view of the rooms: ordered by version, indexed by peer and user, healed by a reload. */
class RoomViewTest {
  private static Room room(String id, long version, String... peersAndUsers) {
    List<Room.Seat> seats = new java.util.ArrayList<>();
    for (int i = 0; i < peersAndUsers.length; i += 2) {
      seats.add(new Room.Seat(peersAndUsers[i], peersAndUsers[i + 1]));
    }
    return new Room(id, 4, 1_000, null, "c", seats, version, seats.isEmpty() ? 0 : -1, false);
  }

  @Test
  void aSnapshotGivesWhoJoinedAndLeftAndAStaleOneIsDropped() {
    RoomView view = new RoomView();
    RoomView.Change first = view.apply(room("r", 2, "a", "ua"), 0);
    assertEquals(List.of(new Room.Seat("a", "ua")), first.joined());
    RoomView.Change second = view.apply(room("r", 4, "b", "ub"), 0);
    assertEquals(List.of(new Room.Seat("b", "ub")), second.joined());
    assertEquals(List.of(new Room.Seat("a", "ua")), second.left());
    assertNull(view.apply(room("r", 3, "a", "ua", "b", "ub"), 0), "version 3 came after 4");
    assertEquals(Set.of(), view.roomsOf("a"));
    assertEquals(Set.of("r"), view.roomsOf("b"));
    assertEquals(1, view.size());
    assertEquals(1, view.memberCount());
  }

  @Test
  void roomMatesAreTheOtherUsersOfEveryRoomSharedThroughAnyPeer() {
    RoomView view = new RoomView();
    view.apply(room("r1", 1, "alice-phone", "alice", "bob", "bob"), 0);
    view.apply(room("r2", 1, "alice-laptop", "alice", "carol", "carol", "alice-phone", "alice"), 0);
    assertEquals(Set.of("bob", "carol"), view.roomMatesOf("alice"));
    assertEquals(Set.of("alice"), view.roomMatesOf("bob"));
    view.apply(room("r2", 2, "alice-laptop", "alice", "carol", "carol"), 0);
    assertEquals(Set.of("bob", "carol"), view.roomMatesOf("alice"), "alice is still in r2 through her laptop");
    view.apply(room("r1", 2, "bob", "bob"), 0);
    assertEquals(Set.of("carol"), view.roomMatesOf("alice"));
    assertEquals(Set.of(), view.roomMatesOf("bob"));
  }

  @Test
  void aReloadTakesNewerRoomsAndDropsRoomsTheStoreLostUnlessSeenSinceItStarted() {
    RoomView view = new RoomView();
    view.apply(room("old", 1, "a", "ua"), 10);
    view.apply(room("kept", 1, "b", "ub"), 10);
    view.apply(room("fresh", 1, "c", "uc"), 30);
    List<RoomView.Change> changes = view.reload(List.of(room("kept", 3, "b", "ub", "d", "ud")), 20, 40);
    assertEquals(2, changes.size());
    assertNull(view.get("old"));
    assertEquals(Set.of("kept"), view.roomsOf("d"));
    assertTrue(view.get("fresh") != null, "an event newer than the reload's start is kept");
    assertEquals(Set.of(), view.roomsOf("a"));
  }

  @Test
  void tombstonesAreNotRoomsAndArePurged() {
    RoomView view = new RoomView();
    view.apply(room("r", 1), 0);
    assertEquals(1, view.emptyCreatedBy("c"));
    view.apply(new Room("r", 4, 1_000, null, "c", List.of(), 2, 100, true), 0);
    assertEquals(0, view.size());
    assertEquals(0, view.emptyCreatedBy("c"));
    assertNull(view.apply(room("r", 1, "a", "ua"), 0), "a late event of the removed room is stale");
    view.purge(100 + RoomSweeper.TOMBSTONE_MS, RoomSweeper.TOMBSTONE_MS);
    assertNull(view.raw("r"));
  }
}

package dev.switchboard.rooms;

import dev.switchboard.support.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room model's atomic steps, with the time moved by hand. */
class RoomModelTest {
  private final ManualClock clock = new ManualClock();

  private RoomOp.Create create(String id, int capacity, Set<String> users) {
    return new RoomOp.Create(id, capacity, 5_000, users, "creator", clock.millis());
  }

  private static Room step(Room room, RoomOp op) {
    RoomOutcome outcome = op.apply(room);
    assertFalse(outcome.refused(), () -> op + " refused: " + outcome.errorCode());
    return outcome.room();
  }

  private static String refusal(Room room, RoomOp op) {
    RoomOutcome outcome = op.apply(room);
    assertTrue(outcome.refused(), () -> op + " was not refused");
    assertFalse(outcome.changed());
    return outcome.errorCode();
  }

  @Test
  void aRoomSeatsUpToItsCapacityInJoinOrder() {
    Room room = step(null, create("r", 2, null));
    assertEquals(1, room.version());
    room = step(room, new RoomOp.Join("a", "ua"));
    room = step(room, new RoomOp.Join("b", "ub"));
    assertEquals(List.of("a", "b"), room.seats().stream().map(Room.Seat::peer).toList());
    assertEquals("full", refusal(room, new RoomOp.Join("c", "uc")));
    assertEquals(3, room.version());
    assertEquals(List.of("b"), room.peersBut("a"));
  }

  @Test
  void joiningTwiceChangesNothing() {
    Room room = step(step(null, create("r", 1, null)), new RoomOp.Join("a", "ua"));
    RoomOutcome again = new RoomOp.Join("a", "ua").apply(room);
    assertFalse(again.changed());
    assertFalse(again.refused());
    assertEquals(room, again.room());
  }

  @Test
  void aTakenIdIsRefusedAndAnUnknownRoomIsNotFound() {
    Room room = step(null, create("r", 2, null));
    assertEquals("exists", refusal(room, create("r", 3, null)));
    assertEquals("not_found", refusal(null, new RoomOp.Join("a", "ua")));
    assertEquals("not_found", refusal(null, new RoomOp.Leave("a", 0)));
    assertEquals("not_found", refusal(room, new RoomOp.Leave("a", 0)));
  }

  @Test
  void aRestrictedRoomAdmitsListedUsersOnly() {
    Room room = step(null, create("r", 4, Set.of("alice", "bob")));
    room = step(room, new RoomOp.Join("alice-phone", "alice"));
    assertEquals("forbidden", refusal(room, new RoomOp.Join("eve", "eve")));
    step(room, new RoomOp.Join("bob", "bob"));
  }

  @Test
  void anEmptyRoomExpiresAfterItsTimeoutAndItsTombstoneIsPurgedLater() {
    Room room = step(null, create("r", 2, null));
    clock.advance(4_999);
    assertFalse(new RoomOp.Expire(clock.millis()).apply(room).changed(), "a room never joined lives its timeout");
    room = step(room, new RoomOp.Join("a", "ua"));
    clock.advance(10_000);
    assertFalse(new RoomOp.Expire(clock.millis()).apply(room).changed(), "a room with members never expires");
    room = step(room, new RoomOp.Leave("a", clock.millis()));
    clock.advance(4_999);
    assertFalse(new RoomOp.Expire(clock.millis()).apply(room).changed());
    clock.advance(1);
    Room tombstone = step(room, new RoomOp.Expire(clock.millis()));
    assertTrue(tombstone.removed());
    assertEquals("not_found", refusal(tombstone, new RoomOp.Join("a", "ua")));
    assertFalse(new RoomOp.Purge(clock.millis(), 60_000).apply(tombstone).changed());
    clock.advance(60_000);
    RoomOutcome purged = new RoomOp.Purge(clock.millis(), 60_000).apply(tombstone);
    assertTrue(purged.changed());
    assertNull(purged.room());
  }

  @Test
  void anIdUsedAgainAfterRemovalKeepsCountingVersions() {
    Room room = step(null, create("r", 2, null));
    room = step(room, new RoomOp.Join("a", "ua"));
    room = step(room, new RoomOp.Leave("a", clock.millis()));
    clock.advance(5_000);
    Room tombstone = step(room, new RoomOp.Expire(clock.millis()));
    Room again = step(tombstone, create("r", 3, null));
    assertTrue(again.version() > tombstone.version());
    assertFalse(again.removed());
    assertEquals(3, again.capacity());
  }

  @Test
  void racingJoinsForTheLastSeatOfTheLocalStoreSeatExactlyOne() throws Exception {
    for (int round = 0; round < 20; round++) {
      LocalRoomStore store = new LocalRoomStore();
      store.apply("r", create("r", 2, null));
      store.apply("r", new RoomOp.Join("first", "first"));
      int racers = 8;
      ExecutorService pool = Executors.newFixedThreadPool(racers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RoomOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String peer = "p" + i;
        outcomes.add(pool.submit(() -> {
          go.await();
          return store.apply("r", new RoomOp.Join(peer, peer)).result();
        }));
      }
      go.countDown();
      int seated = 0;
      int full = 0;
      for (Future<RoomOutcome> outcome : outcomes) {
        RoomOutcome o = outcome.get(10, TimeUnit.SECONDS);
        seated += o.changed() ? 1 : 0;
        full += "full".equals(o.errorCode()) ? 1 : 0;
      }
      pool.shutdown();
      assertEquals(1, seated);
      assertEquals(racers - 1, full);
      assertEquals(2, store.all().result().iterator().next().seats().size());
    }
  }
}

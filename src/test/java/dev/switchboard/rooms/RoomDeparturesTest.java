package dev.switchboard.rooms;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.rooms.RoomFrames.create;
import static dev.switchboard.rooms.RoomFrames.expectMember;
import static dev.switchboard.rooms.RoomFrames.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that goes away: back within {@code --reconnect_grace} it keeps its rooms; gone for good, or
 * gone by LEAVE, it leaves them and the others are told.
 */
@ExtendWith(VertxExtension.class)
class RoomDeparturesTest {

  // The sweep reads this clock, which moves only when a test moves it; the departures' timers are real.
  private final ManualClock clock = new ManualClock();

  private Switchboard start(Vertx vertx, long graceMs) {
    // Liveness reads the same clock: alice must outlive the hours the sweep test moves it by.
    return Brokers.start(vertx, Brokers.options().setReconnectGrace(graceMs).setAliveTimeout(1L << 50), clock);
  }

  @Test
  void aMemberGoneLongerThanTheGraceLeavesItsRooms(Vertx vertx) {
    Switchboard broker = start(vertx, 300);
    int port = broker.actualPort();
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      TestPeer bob = RoomFrames.open(vertx, port, "bob");
      create(alice, "r", 3);
      create(alice, "s", 3);
      join(alice, "r", 3);
      join(alice, "s", 3);
      join(bob, "r", 3, "alice");
      expectMember(alice, "r", "bob", "joined");
      join(bob, "s", 3, "alice");
      expectMember(alice, "s", "bob", "joined");
      long closed = System.nanoTime();
      bob.close();
      List<String> left = List.of(alice.expectType("ROOM-MEMBER").getJsonObject("payload").encode(),
          alice.expectType("ROOM-MEMBER").getJsonObject("payload").encode());
      assertTrue((System.nanoTime() - closed) / 1_000_000 >= 300, "left before the grace was over");
      assertTrue(left.contains("{\"roomId\":\"r\",\"peer\":\"bob\",\"event\":\"left\"}"), left.toString());
      assertTrue(left.contains("{\"roomId\":\"s\",\"peer\":\"bob\",\"event\":\"left\"}"), left.toString());
      assertEquals(List.of("alice"), broker.rooms().membersOf("r"));
    }
  }

  @Test
  void aMemberBackWithinTheGraceKeepsItsRooms(Vertx vertx) {
    Switchboard broker = start(vertx, 1_500);
    int port = broker.actualPort();
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      TestPeer bob = RoomFrames.connect(vertx, port, "bob", "bobs-token");
      bob.expectType("OPEN");
      create(alice, "r", 2);
      join(alice, "r", 2);
      join(bob, "r", 2, "alice");
      expectMember(alice, "r", "bob", "joined");
      bob.close();
      try (TestPeer again = RoomFrames.openWhenFree(vertx, port, "bob", "bobs-token")) {
        Await.until("the grace is over", () -> broker.departures().watching() == 0, 10);
        alice.expectNothing(Duration.ofMillis(300));
        assertEquals(List.of("alice", "bob"), broker.rooms().membersOf("r"));
        join(again, "r", 2, "alice");
      }
    }
  }

  @Test
  void theSweepTakesTheSeatOfAMemberConnectedNowhereForLongerThanTheGrace(Vertx vertx) {
    // A departure would take 10 minutes here: only the sweep (the net for a crashed node) can act.
    Switchboard broker = start(vertx, 600_000);
    int port = broker.actualPort();
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      TestPeer bob = RoomFrames.open(vertx, port, "bob");
      create(alice, "r", 2);
      join(alice, "r", 2);
      join(bob, "r", 2, "alice");
      expectMember(alice, "r", "bob", "joined");
      bob.close();
      Await.until("bob's seat is taken", () -> {
        clock.advance(300_001);
        return broker.rooms().membersOf("r").equals(List.of("alice"));
      }, 10);
      expectMember(alice, "r", "bob", "left");
    }
  }

  @Test
  void aPeerThatSaysLeaveLeavesItsRoomsAtOnce(Vertx vertx) {
    Switchboard broker = start(vertx, 600_000);
    int port = broker.actualPort();
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice");
         TestPeer bob = RoomFrames.open(vertx, port, "bob")) {
      create(alice, "r", 2);
      join(alice, "r", 2);
      join(bob, "r", 2, "alice");
      expectMember(alice, "r", "bob", "joined");
      bob.send("{\"type\":\"LEAVE\"}");
      expectMember(alice, "r", "bob", "left");
      assertEquals(List.of("alice"), broker.rooms().membersOf("r"));
    }
  }
}

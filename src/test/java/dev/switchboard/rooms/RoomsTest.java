package dev.switchboard.rooms;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.rooms.RoomFrames.create;
import static dev.switchboard.rooms.RoomFrames.expect;
import static dev.switchboard.rooms.RoomFrames.expectError;
import static dev.switchboard.rooms.RoomFrames.expectMember;
import static dev.switchboard.rooms.RoomFrames.join;
import static dev.switchboard.rooms.RoomFrames.room;
import static dev.switchboard.rooms.RoomFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rooms on one broker without auth (a user is the peer of that id), over raw WebSockets. */
@ExtendWith(VertxExtension.class)
class RoomsTest {
  private static final Duration QUIET = Duration.ofMillis(300);
  private final ManualClock clock = new ManualClock();
  private final List<RoomChange> changes = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Switchboard broker;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options().set(RoomSettings.MAX_ROOMS_PER_PEER, 2)
        .set(RoomSettings.MAX_ROOMS, 5).setReconnectGrace(60_000), clock);
    broker.rooms().addListener(changes::add);
    port = broker.actualPort();
  }

  @Test
  void membersAreToldOfEachOtherUpToTheCapacityAndOfLeaving() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice");
         TestPeer bob = RoomFrames.open(vertx, port, "bob");
         TestPeer carol = RoomFrames.open(vertx, port, "carol");
         TestPeer dave = RoomFrames.open(vertx, port, "dave")) {
      create(alice, "r1", 3);
      assertEquals(List.of(), broker.rooms().membersOf("r1"), "the creator is not a member");
      join(bob, "r1", 3);
      join(alice, "r1", 3, "bob");
      expectMember(bob, "r1", "alice", "joined");
      join(carol, "r1", 3, "bob", "alice");
      expectMember(bob, "r1", "carol", "joined");
      expectMember(alice, "r1", "carol", "joined");
      send(dave, "ROOM-JOIN", room("r1"));
      assertEquals("r1", expectError(dave, "full").getString("roomId"));
      assertEquals(Set.of("alice", "carol"), broker.rooms().roomMatesOf("bob"));
      send(bob, "ROOM-LEAVE", room("r1"));
      assertEquals(room("r1"), expect(bob, "ROOM-LEFT"));
      expectMember(alice, "r1", "bob", "left");
      expectMember(carol, "r1", "bob", "left");
      assertEquals(Set.of(), broker.rooms().roomMatesOf("bob"));
      assertEquals(List.of("alice", "carol"), broker.rooms().membersOf("r1"));
      join(dave, "r1", 3, "alice", "carol");
      assertEquals(List.of("r1:CREATED", "bob:JOINED", "alice:JOINED", "carol:JOINED", "bob:LEFT", "dave:JOINED"),
          changes.stream().map(c -> (c.member() == null ? c.roomId() : c.member().peerId()) + ":" + c.kind()).toList());
      assertTrue(changes.stream().allMatch(RoomChange::origin), "a single broker made every change");
      RoomChange last = changes.get(changes.size() - 1);
      assertEquals(List.of(new RoomMember("alice", "alice"), new RoomMember("carol", "carol"),
          new RoomMember("dave", "dave")), last.members());
      bob.expectNothing(QUIET);
    }
  }

  @Test
  void aRoomWithoutIdGetsOneOf128RandomBitsAndTheDefaultCapacity() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      send(alice, "ROOM-CREATE", new JsonObject());
      JsonObject first = expect(alice, "ROOM-CREATED");
      send(alice, "ROOM-CREATE", new JsonObject().put("roomId", null));
      JsonObject second = expect(alice, "ROOM-CREATED");
      assertTrue(first.getString("roomId").matches("[A-Za-z0-9_-]{22}"), first.encode());
      assertNotEquals(first.getString("roomId"), second.getString("roomId"));
      assertEquals(2, first.getInteger("capacity"));
    }
  }

  @Test
  void joiningTwiceAnswersAgainAndTellsNobody() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice");
         TestPeer bob = RoomFrames.open(vertx, port, "bob")) {
      create(alice, "r", 2);
      join(alice, "r", 2);
      join(bob, "r", 2, "alice");
      expectMember(alice, "r", "bob", "joined");
      join(bob, "r", 2, "alice");
      alice.expectNothing(QUIET);
    }
  }

  @Test
  void everyRefusalHasItsCodeAndThePeerStaysConnected() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      create(alice, "taken", 2);
      send(alice, "ROOM-CREATE", room("taken"));
      assertEquals("taken", expectError(alice, "exists").getString("roomId"));
      send(alice, "ROOM-JOIN", room("nowhere"));
      assertEquals("nowhere", expectError(alice, "not_found").getString("roomId"));
      send(alice, "ROOM-LEAVE", room("taken"));
      expectError(alice, "not_found");
      String tooLong = "x".repeat(RoomSettings.MAX_ROOM_ID_LENGTH + 1);
      for (String bad : new String[] {
          "{\"type\":\"ROOM-JOIN\"}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":5}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":[\"r\"]}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":{}}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":{\"roomId\":7}}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":{\"roomId\":\"a b\"}}",
          "{\"type\":\"ROOM-JOIN\",\"payload\":{\"roomId\":\"\"}}",
          "{\"type\":\"ROOM-LEAVE\",\"payload\":{\"roomId\":\"" + tooLong + "\"}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"roomId\":\"" + tooLong + "\"}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"capacity\":0}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"capacity\":17}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"capacity\":\"2\"}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"capacity\":2.5}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"emptyTimeoutMs\":999}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":{\"emptyTimeoutMs\":86400001}}",
          "{\"type\":\"ROOM-CREATE\",\"payload\":true}"}) {
        alice.send(bad);
        JsonObject error = expectError(alice, "invalid");
        assertTrue(!error.getString("msg").isEmpty(), bad);
      }
      create(alice, "still-here", 2);
    }
  }

  @Test
  void roomsPerPeerAndRoomsInAllAreBounded() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice");
         TestPeer bob = RoomFrames.open(vertx, port, "bob")) {
      for (String id : new String[] {"a1", "a2", "a3"}) {
        create(bob, id, 2);
        if (!"a3".equals(id)) {
          join(alice, id, 2);
        }
      }
      send(alice, "ROOM-JOIN", room("a3"));
      assertEquals("a3", expectError(alice, "limit").getString("roomId"));
      create(alice, "e1", 2);
      create(alice, "e2", 2);
      send(alice, "ROOM-CREATE", room("e3"));
      expectError(alice, "limit");
      send(bob, "ROOM-CREATE", room("b6"));
      expectError(bob, "limit");
      assertEquals(5, broker.rooms().roomCount());
    }
  }

  @Test
  void anEmptyRoomIsRemovedAfterItsEmptyTimeout() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice")) {
      send(alice, "ROOM-CREATE", room("short").put("emptyTimeoutMs", 1_000));
      expect(alice, "ROOM-CREATED");
      create(alice, "long", 2);
      join(alice, "short", 2);
      send(alice, "ROOM-LEAVE", room("short"));
      expect(alice, "ROOM-LEFT");
      clock.advance(999);
      send(alice, "ROOM-JOIN", room("long"));
      expect(alice, "ROOM-JOINED");
      clock.advance(1);
      Await.until("the empty room is removed", () -> broker.rooms().membersOf("short") == null, 10);
      send(alice, "ROOM-JOIN", room("short"));
      expectError(alice, "not_found");
      assertEquals(List.of("alice"), broker.rooms().membersOf("long"), "a room with members stays");
      create(alice, "short", 2);
    }
  }

  @Test
  void theJavaApiRefusesRestrictionsWithoutAuth() {
    RoomError error = refusal(broker.rooms().create("api", 2, List.of("bob"), null));
    assertEquals("invalid", error.code());
    assertEquals("api", Await.result(broker.rooms().create("api", 2, null, 10_000L)));
    assertEquals(List.of(), broker.rooms().membersOf("api"));
    assertEquals("exists", (refusal(broker.rooms().create("api", null, null, null))).code());
    assertEquals("invalid", (refusal(broker.rooms().create("b", 17, null, null))).code());
    assertNull(broker.rooms().membersOf("b"));
  }

  private static RoomError refusal(io.vertx.core.Future<?> future) {
    return org.junit.jupiter.api.Assertions.assertThrows(RoomError.class, () -> Await.result(future));
  }

  @Test
  void aPeerServerClientSeesNoDifference() {
    try (TestPeer alice = RoomFrames.open(vertx, port, "alice");
         TestPeer bob = RoomFrames.open(vertx, port, "bob")) {
      create(alice, "r", 2);
      join(alice, "r", 2);
      alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"type\":\"data\",\"connectionId\":\"dc_1\"}}");
      JsonObject offer = bob.expectType("OFFER");
      assertEquals("alice", offer.getString("src"));
      bob.send("{\"type\":\"HEARTBEAT\"}");
      bob.expectNothing(QUIET);
    }
  }
}

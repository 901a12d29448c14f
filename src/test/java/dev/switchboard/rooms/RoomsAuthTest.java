package dev.switchboard.rooms;

import dev.switchboard.Switchboard;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.switchboard.rooms.RoomFrames.create;
import static dev.switchboard.rooms.RoomFrames.expectError;
import static dev.switchboard.rooms.RoomFrames.expectMember;
import static dev.switchboard.rooms.RoomFrames.join;
import static dev.switchboard.rooms.RoomFrames.room;
import static dev.switchboard.rooms.RoomFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Rooms restricted to listed users under {@code --auth jwt}: by the rooms claim and by the Java API. */
@ExtendWith(VertxExtension.class)
class RoomsAuthTest {
  private final Map<String, JsonObject> claimsSeen = new ConcurrentHashMap<>();
  private Vertx vertx;
  private Switchboard broker;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .set(RoomSettings.JWT_ROOMS_CLAIM, "rooms"));
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        if (peer.claims() != null) {
          claimsSeen.put(peer.id(), peer.claims());
        }
      }
    });
  }

  private TestPeer open(String id, JsonObject claims) {
    TestPeer peer = RoomFrames.connect(vertx, broker.actualPort(), id, Tokens.hs256(Tokens.SECRET, claims));
    peer.expectType("OPEN");
    return peer;
  }

  private TestPeer open(String id, String user) {
    return open(id, Tokens.claims(user));
  }

  @Test
  void aRoomListedInTheCreatorsClaimAdmitsOnlyThoseUsersAndTheCreator() {
    JsonObject claims = Tokens.claims("alice")
        .put("rooms", new JsonObject().put("team", new JsonArray().add("bob")).put("bad", "not a list"));
    try (TestPeer alice = open("alice", claims);
         TestPeer alicePhone = open("alice-phone", "alice");
         TestPeer bob = open("bob", "bob");
         TestPeer eve = open("eve", "eve")) {
      assertEquals(claims.getJsonObject("rooms"), claimsSeen.get("alice").getJsonObject("rooms"),
          "the verified token's claims reach the PeerLink");
      create(alice, "team", 4);
      send(eve, "ROOM-JOIN", room("team"));
      assertEquals("team", expectError(eve, "forbidden").getString("roomId"));
      join(bob, "team", 4);
      join(alicePhone, "team", 4, "bob");
      expectMember(bob, "team", "alice-phone", "joined");
      create(alice, "open", 2);
      join(eve, "open", 2);
      create(alice, "bad", 2);
      join(eve, "bad", 2);
      assertEquals(Set.of("alice"), broker.rooms().roomMatesOf("bob"));
    }
  }

  @Test
  void theJavaApiRestrictsARoomToItsUsers() {
    String roomId = Await.result(broker.rooms().create(null, 3, List.of("bob"), null));
    try (TestPeer bob = open("bob-laptop", "bob");
         TestPeer eve = open("eve", "eve")) {
      send(eve, "ROOM-JOIN", room(roomId));
      expectError(eve, "forbidden");
      join(bob, roomId, 3);
    }
    assertNull(claimsSeen.get("nobody"));
  }
}

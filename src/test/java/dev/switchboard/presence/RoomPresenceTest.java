package dev.switchboard.presence;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.presence.PresenceFrames.awaitEntry;
import static dev.switchboard.presence.PresenceFrames.entry;
import static dev.switchboard.presence.PresenceFrames.expect;
import static dev.switchboard.presence.PresenceFrames.send;
import static dev.switchboard.presence.PresenceFrames.set;
import static dev.switchboard.presence.PresenceFrames.snapshot;
import static dev.switchboard.presence.PresenceFrames.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Presence scoped by the real rooms service (the other tests use an in-memory stand-in): room mates see
 * each other without watching, a watcher sees a room mate it watches, and leaving the room ends both;
 * GET /peers under auth lists room mates.
 */
@ExtendWith(VertxExtension.class)
class RoomPresenceTest {

  private static TestPeer open(Vertx vertx, Switchboard broker, String user) {
    TestPeer peer = TestPeer.connect(vertx, broker.actualPort(), user, Tokens.hs256(Tokens.SECRET, Tokens.claims(user)));
    peer.expectType("OPEN");
    return peer;
  }

  private static void joinRoom(TestPeer peer, String roomId) {
    send(peer, "ROOM-JOIN", new JsonObject().put("roomId", roomId));
    expect(peer, "ROOM-JOINED");
  }

  @Test
  void roomMatesSeeEachOtherUntilOneLeaves(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET)
        .setReconnectGrace(400));
    try (TestPeer alice = open(vertx, broker, "alice");
         TestPeer bob = open(vertx, broker, "bob");
         TestPeer carol = open(vertx, broker, "carol")) {
      watch(carol, "alice");
      assertFalse(snapshot(carol).containsKey("alice"), "carol shares no room with alice: alice is absent");

      send(alice, "ROOM-CREATE", new JsonObject().put("roomId", "standup").put("capacity", 4));
      expect(alice, "ROOM-CREATED");
      joinRoom(alice, "standup");
      alice.ignoring("ROOM-MEMBER");
      joinRoom(bob, "standup");
      awaitEntry(bob, "alice", entry("online", null, 1));
      awaitEntry(alice, "bob", entry("online", null, 1));

      set(alice, "away", "coffee");
      awaitEntry(bob, "alice", entry("away", "coffee", 1));
      send(bob, "ROOM-LEAVE", new JsonObject().put("roomId", "standup"));
      skipTo(bob, "ROOM-LEFT");
      set(alice, "dnd", null);
      // Carol (no room, no contact) and bob (left) hear nothing of alice from now on.
      set(carol, "online", null);
      carol.expectNothing(Duration.ofMillis(700));
      drainMemberFrames(bob);
    }
  }

  @Test
  void peersUnderAuthListsRoomMatesAndOneself(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET));
    try (TestPeer alice = open(vertx, broker, "alice");
         TestPeer bob = open(vertx, broker, "bob");
         TestPeer carol = open(vertx, broker, "carol")) {
      send(alice, "ROOM-CREATE", new JsonObject().put("roomId", "pair"));
      expect(alice, "ROOM-CREATED");
      joinRoom(alice, "pair");
      joinRoom(bob, "pair");
      assertEquals(List.of("alice", "bob"), peersSeenBy("alice", broker));
      assertEquals(List.of("carol"), peersSeenBy("carol", broker));
    }
  }

  private static List<String> peersSeenBy(String user, Switchboard broker) {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + broker.actualPort() + "/peerjs/peers"))
        .header("Authorization", "Bearer " + Tokens.hs256(Tokens.SECRET, Tokens.claims(user))).build();
    try {
      String body = java.net.http.HttpClient.newHttpClient().send(request,
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new io.vertx.core.json.JsonArray(body).stream().map(String::valueOf).sorted().toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void skipTo(TestPeer peer, String type) {
    while (!type.equals(peer.next().getString("type"))) {
      // frames sent before the one wanted (PRESENCE of a room mate) are passed over
    }
  }

  // After leaving, bob may still get frames of the room sent before its leave; none may be PRESENCE of alice's dnd.
  private static void drainMemberFrames(TestPeer bob) {
    String text;
    while ((text = bob.poll(Duration.ofMillis(700))) != null) {
      JsonObject frame = new JsonObject(text);
      JsonObject users = frame.getJsonObject("payload").getJsonObject("users");
      assertFalse("PRESENCE".equals(frame.getString("type")) && users != null && users.containsKey("alice")
          && "dnd".equals(users.getJsonObject("alice").getString("status")), "bob left the room but heard " + text);
    }
  }
}

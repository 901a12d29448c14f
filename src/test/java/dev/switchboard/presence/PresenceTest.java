package dev.switchboard.presence;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.stream.IntStream;

import static dev.switchboard.presence.PresenceFrames.awaitEntry;
import static dev.switchboard.presence.PresenceFrames.entry;
import static dev.switchboard.presence.PresenceFrames.expectError;
import static dev.switchboard.presence.PresenceFrames.send;
import static dev.switchboard.presence.PresenceFrames.set;
import static dev.switchboard.presence.PresenceFrames.snapshot;
import static dev.switchboard.presence.PresenceFrames.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence on one broker without auth (a peer is its own user): the wire protocol and its rules. */
@ExtendWith(VertxExtension.class)
class PresenceTest {

  private static Switchboard broker(Vertx vertx, boolean discovery) {
    return Brokers.start(vertx, Brokers.options().setAllowDiscovery(discovery).setReconnectGrace(400)
        .set(PresenceSettings.PRESENCE_BATCH, 20L).set(PresenceSettings.PRESENCE_MAX_WATCH, 3));
  }

  @Test
  void aWatcherGetsASnapshotThenChanges(Vertx vertx) {
    int port = broker(vertx, true).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      watch(alice, "bob", "nobody");
      assertEquals(new JsonObject().put("bob", entry("online", null, 1)).put("nobody", entry("offline", null, 0)),
          snapshot(alice), "an unknown user looks offline");
      set(bob, "away", "lunch");
      awaitEntry(alice, "bob", entry("away", "lunch", 1));
      set(bob, "dnd", null);
      awaitEntry(alice, "bob", entry("dnd", null, 1));
      send(alice, "PRESENCE-UNWATCH", new JsonObject().put("users", new JsonArray().add("bob")));
      set(bob, "online", null);
      watch(alice, "nobody");
      assertEquals(new JsonObject().put("nobody", entry("offline", null, 0)), snapshot(alice),
          "nothing of bob after the unwatch, before this answer");
    }
  }

  @Test
  void withoutDiscoveryOthersAreAbsentLikeUnknownUsers(Vertx vertx) {
    int port = broker(vertx, false).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      watch(alice, "bob", "nobody", "alice");
      assertEquals(new JsonObject().put("alice", entry("online", null, 1)), snapshot(alice));
      set(bob, "away", null);
      set(alice, "busy", "call me later");
      awaitEntry(alice, "alice", entry("busy", "call me later", 1));
      watch(alice, "bob");
      assertEquals(new JsonObject(), snapshot(alice), "bob's change never reached alice");
    }
  }

  @Test
  void badRequestsGetPresenceErrorAndThePeerStays(Vertx vertx) {
    int port = broker(vertx, true).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      alice.send(new JsonObject().put("type", "PRESENCE-SET").encode());
      expectError(alice, "invalid");
      send(alice, "PRESENCE-SET", new JsonObject().put("status", "offline"));
      expectError(alice, "invalid");
      send(alice, "PRESENCE-SET", new JsonObject().put("status", "away").put("note", 7));
      expectError(alice, "invalid");
      set(alice, "away", "x".repeat(257));
      expectError(alice, "limit");
      send(alice, "PRESENCE-WATCH", new JsonObject().put("users", "bob"));
      expectError(alice, "invalid");
      send(alice, "PRESENCE-WATCH", new JsonObject().put("users", new JsonArray().add(42)));
      expectError(alice, "invalid");
      watch(alice, "");
      expectError(alice, "invalid");
      watch(alice, "u".repeat(257));
      expectError(alice, "invalid");
      send(alice, "PRESENCE-UNWATCH", new JsonObject());
      expectError(alice, "invalid");
      List<String> many = IntStream.range(0, 501).mapToObj(i -> "u" + i).toList();
      send(alice, "PRESENCE-WATCH", new JsonObject().put("users", new JsonArray(many)));
      expectError(alice, "limit");
      watch(alice, "a", "b", "c");
      assertEquals(3, snapshot(alice).size());
      watch(alice, "d");
      expectError(alice, "limit");
      watch(alice, "a");
      assertEquals(1, snapshot(alice).size(), "still connected, and a watched user again is no growth");
    }
  }

  @Test
  void aReloadWithinTheGraceIsNoFlapAndGoneForGoodIsOffline(Vertx vertx) {
    int port = broker(vertx, true).actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice")) {
      TestPeer bob = TestPeer.open(vertx, port, "bob");
      watch(alice, "bob");
      assertEquals(entry("online", null, 1), snapshot(alice).getJsonObject("bob"));
      bob.close();
      bob = TestPeer.openWhenFree(vertx, port, "bob", "token-bob");
      set(bob, "away", "reloaded");
      assertEquals(List.of(entry("away", "reloaded", 1)), awaitEntry(alice, "bob", entry("away", "reloaded", 1)),
          "no offline, no device count change in between");
      bob.close();
      assertEquals(List.of(entry("offline", null, 0)), awaitEntry(alice, "bob", entry("offline", null, 0)));
    }
  }

  @Test
  void aUserIsBusyDuringAnAcceptedCall(Vertx vertx) {
    int port = broker(vertx, true).actualPort();
    try (TestPeer carol = TestPeer.open(vertx, port, "carol");
         TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      watch(carol, "alice", "bob");
      snapshot(carol);
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "c1"));
      alice.expectType("CALL-TRYING");
      bob.expectType("CALL-INCOMING");
      send(bob, "CALL-ACCEPT", new JsonObject().put("callId", "c1"));
      awaitEntry(carol, "bob", entry("busy", null, 1));
      watch(carol, "alice");
      assertEquals(entry("busy", null, 1), snapshot(carol).getJsonObject("alice"));
      send(alice, "CALL-HANGUP", new JsonObject().put("callId", "c1"));
      awaitEntry(carol, "bob", entry("online", null, 1));
    }
  }
}

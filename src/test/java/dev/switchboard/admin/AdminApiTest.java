package dev.switchboard.admin;

import dev.switchboard.Switchboard;
import dev.switchboard.config.InvalidSetting;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.switchboard.admin.AdminSettings.ADMIN_TOKEN;
import static dev.switchboard.admin.AdminSettings.MAX_BANS;
import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API on one broker without auth (a user is the peer of that id): docs/admin-api.md. */
@ExtendWith(VertxExtension.class)
class AdminApiTest {
  private final ManualClock clock = new ManualClock();
  private Vertx vertx;
  private Switchboard broker;
  private AdminClient admin;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Brokers.start(vertx, Brokers.options().setMetricsPort(0).set(ADMIN_TOKEN, AdminClient.TOKEN)
        .set(MAX_BANS, 3), clock);
    admin = new AdminClient(broker.metricsPort());
  }

  @Test
  void everyRouteNeedsTheToken() {
    for (String path : List.of("/admin/peers", "/admin/bans", "/admin/calls")) {
      AdminClient.Answer none = new AdminClient(broker.metricsPort(), null).get(path);
      assertEquals(401, none.status(), path);
      assertEquals("unauthorized", none.body().getString("code"));
      assertEquals(401, new AdminClient(broker.metricsPort(), AdminClient.TOKEN + "x").get(path).status(), path);
    }
    assertEquals(401, new AdminClient(broker.metricsPort(), "").post("/admin/bans", "{\"user\":\"x\"}").status());
  }

  @Test
  void theApiLivesOnlyOnTheMetricsPortAndNeedsOne() {
    AdminClient.Answer publicPort = new AdminClient(broker.actualPort()).get("/admin/peers");
    // The public port knows only PeerServer's routes: /admin/peers is GET /{key}/peers with a wrong key.
    assertEquals("Invalid key provided", publicPort.text());
    InvalidSetting refused = assertThrows(InvalidSetting.class,
        () -> Brokers.options().set(ADMIN_TOKEN, AdminClient.TOKEN).validate());
    assertTrue(refused.getMessage().contains("metrics_port"), refused.getMessage());
    assertThrows(InvalidSetting.class, () -> Brokers.options().setMetricsPort(0).set(ADMIN_TOKEN, "short").validate());
  }

  @Test
  void listsAndKicksPeers() {
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      JsonArray peers = admin.get("/admin/peers").body().getJsonArray("peers");
      assertEquals(2, peers.size(), peers::encode);
      assertEquals(new JsonArray(), admin.get("/admin/peers").body().getJsonArray("unreachable"));
      JsonArray onlyBob = admin.get("/admin/peers?user=bob").body().getJsonArray("peers");
      assertEquals(1, onlyBob.size());
      assertEquals("websocket", onlyBob.getJsonObject(0).getString("transport"));

      assertEquals(204, admin.delete("/admin/peers/bob", "{\"message\":\"Your session was moved\"}").status());
      bob.expectError("Your session was moved");
      assertEquals(1008, (int) bob.awaitClose().code());
      assertEquals(404, admin.delete("/admin/peers/bob").status());
      assertEquals("not_found", admin.delete("/admin/peers/nobody").body().getString("code"));

      AdminClient.Answer bad = admin.delete("/admin/peers/alice", "{\"message\":" + "\"x".repeat(1) + "y".repeat(300) + "\"}");
      assertEquals(400, bad.status());
      assertEquals("invalid", bad.body().getString("code"));
      assertEquals(400, admin.delete("/admin/peers/alice", "[1,2]").status());
      assertEquals(400, admin.delete("/admin/peers/alice", "{not json").status());
      assertEquals(204, admin.delete("/admin/peers/alice").status());
      alice.expectError(AdminApi.DEFAULT_KICK_TEXT);
    }
  }

  @Test
  void aBanEndsTheUserAndRefusesItUntilLiftedOrOver() {
    try (TestPeer mallory = TestPeer.open(vertx, broker.actualPort(), "mallory")) {
      AdminClient.Answer set = admin.post("/admin/bans", new JsonObject().put("user", "mallory")
          .put("untilMs", clock.millis() + 60_000).put("reason", "spam").encode());
      assertEquals(201, set.status(), () -> String.valueOf(set.body()));
      mallory.expectError("This user is banned");
      assertEquals(1008, (int) mallory.awaitClose().code());
    }
    try (TestPeer again = TestPeer.connect(vertx, broker.actualPort(), "mallory", "t2")) {
      again.expectError("This user is banned");
      again.awaitClose();
    }
    JsonArray bans = admin.get("/admin/bans").body().getJsonArray("bans");
    assertEquals("spam", bans.getJsonObject(0).getString("reason"));
    clock.advance(60_000);
    TestPeer.open(vertx, broker.actualPort(), "mallory").close();
    assertEquals(0, admin.get("/admin/bans").body().getJsonArray("bans").size());

    assertEquals(201, admin.post("/admin/bans", "{\"user\":\"mallory\"}").status());
    try (TestPeer again = TestPeer.connect(vertx, broker.actualPort(), "mallory", "t3")) {
      again.expectError("This user is banned");
    }
    assertNull(admin.get("/admin/bans").body().getJsonArray("bans").getJsonObject(0).getLong("untilMs"));
    assertEquals(204, admin.delete("/admin/bans/mallory").status());
    assertEquals(404, admin.delete("/admin/bans/mallory").status());
    TestPeer.open(vertx, broker.actualPort(), "mallory").close();
  }

  @Test
  void badBansAreRefusedWithTheReasonAndTheListIsBounded() {
    for (String body : List.of("{}", "{\"user\":\"\"}", "{\"user\":7}", "{\"user\":\"" + "u".repeat(257) + "\"}",
        "{\"user\":\"a\",\"untilMs\":\"soon\"}", "{\"user\":\"a\",\"untilMs\":5}", "{\"user\":\"a\",\"untilMs\":1.5e12}",
        "{\"user\":\"a\",\"reason\":" + new JsonArray().add(1).encode() + "}",
        "{\"user\":\"a\",\"reason\":\"" + "r".repeat(257) + "\"}", "\"user\"", "{\"user\":")) {
      AdminClient.Answer answer = admin.post("/admin/bans", body);
      assertEquals(400, answer.status(), body);
      assertEquals("invalid", answer.body().getString("code"), body);
    }
    for (String user : List.of("a", "b", "c")) {
      assertEquals(201, admin.post("/admin/bans", "{\"user\":\"" + user + "\"}").status());
    }
    AdminClient.Answer full = admin.post("/admin/bans", "{\"user\":\"d\"}");
    assertEquals(409, full.status());
    assertEquals("limit", full.body().getString("code"));
    assertEquals(201, admin.post("/admin/bans", "{\"user\":\"a\",\"reason\":\"again\"}").status());
    // A ban that has ended no longer counts against --max_bans.
    assertEquals(204, admin.delete("/admin/bans/c").status());
    assertEquals(201, admin.post("/admin/bans", new JsonObject().put("user", "c").put("untilMs", clock.millis() + 1000)
        .encode()).status());
    clock.advance(1000);
    assertEquals(201, admin.post("/admin/bans", "{\"user\":\"d\"}").status());
  }

  @Test
  void listsRingingAndActiveCalls() {
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      send(alice, "CALL-INVITE", invite("bob"));
      String callId = expect(alice, "CALL-TRYING").getString("callId");
      expect(bob, "CALL-INCOMING");
      JsonObject ringing = admin.get("/admin/calls").body().getJsonArray("calls").getJsonObject(0);
      assertEquals(callId, ringing.getString("callId"));
      assertEquals("ringing", ringing.getString("state"));
      assertEquals("alice", ringing.getString("callerPeer"));
      assertEquals("bob", ringing.getString("calleeUser"));
      send(bob, "CALL-ACCEPT", new JsonObject().put("callId", callId));
      expect(alice, "CALL-ACCEPTED");
      JsonObject active = admin.get("/admin/calls").body().getJsonArray("calls").getJsonObject(0);
      assertEquals("active", active.getString("state"));
      assertEquals("bob", active.getString("acceptedPeer"));
    }
  }

  @Test
  void createsListsAndRemovesRooms() {
    AdminClient.Answer created = admin.post("/admin/rooms", "{\"roomId\":\"r1\",\"capacity\":3}");
    assertEquals(201, created.status(), created.text());
    assertEquals(3, created.body().getInteger("capacity"));
    assertEquals("exists", admin.post("/admin/rooms", "{\"roomId\":\"r1\"}").body().getString("code"));
    assertEquals(409, admin.post("/admin/rooms", "{\"roomId\":\"r1\"}").status());
    String generated = admin.post("/admin/rooms", "{}").body().getString("roomId");
    assertTrue(generated.length() >= 22, generated);
    for (String bad : List.of("{\"capacity\":0}", "{\"capacity\":99}", "{\"capacity\":\"2\"}", "{\"roomId\":\"a b\"}",
        "{\"roomId\":7}", "{\"users\":[]}", "{\"users\":[\"x\"]}", "{\"emptyTimeoutMs\":5}")) {
      AdminClient.Answer refused = admin.post("/admin/rooms", bad);
      assertEquals(400, refused.status(), bad + " " + refused.text());
      assertEquals("invalid", refused.body().getString("code"), bad);
    }
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      alice.send(new JsonObject().put("type", "ROOM-JOIN").put("payload", new JsonObject().put("roomId", "r1")));
      assertEquals("ROOM-JOINED", alice.next().getString("type"));
      JsonObject room = admin.get("/admin/rooms/r1").body();
      assertEquals(new JsonArray().add(new JsonObject().put("peer", "alice").put("user", "alice")), room.getJsonArray("members"));
      assertEquals(2, admin.get("/admin/rooms").body().getJsonArray("rooms").size());
      assertEquals(204, admin.delete("/admin/rooms/r1").status());
      assertEquals(new JsonObject().put("roomId", "r1"), alice.expectType("ROOM-LEFT").getJsonObject("payload"));
    }
    assertEquals(404, admin.get("/admin/rooms/r1").status());
    assertEquals("not_found", admin.delete("/admin/rooms/r1").body().getString("code"));
    assertEquals(404, admin.get("/admin/nothing-here").status());
  }
}

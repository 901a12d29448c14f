package dev.switchboard.admin;

import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.switchboard.admin.AdminSettings.ADMIN_TOKEN;
import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The admin API across three clustered brokers (auth jwt, id_policy device): any node answers for all. */
class AdminClusterIT {
  private static ClusterNodes cluster;
  private static Vertx client;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .setMetricsPort(0).set(ADMIN_TOKEN, AdminClient.TOKEN)).start(3);
    client = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static AdminClient admin(int node) {
    return new AdminClient(cluster.node(node).broker().metricsPort());
  }

  private static TestPeer connect(int node, String id, String user) {
    return TestPeer.connect(client, cluster.node(node).port(), id, Tokens.hs256(Tokens.SECRET, Tokens.claims(user)));
  }

  private static TestPeer open(int node, String id, String user) {
    TestPeer peer = connect(node, id, user);
    peer.expectType("OPEN");
    return peer;
  }

  private static List<String> ids(JsonArray peers) {
    return peers.stream().map(p -> ((JsonObject) p).getString("id")).sorted().collect(Collectors.toList());
  }

  @Test
  void anyNodeListsAndEndsThePeersOfAll() {
    try (TestPeer a = open(0, "ann", "ann");
         TestPeer b = open(1, "ben-phone", "ben");
         TestPeer c = open(2, "ben-laptop", "ben")) {
      for (int node = 0; node < 3; node++) {
        AdminClient.Answer answer = admin(node).get("/admin/peers");
        assertEquals(List.of("ann", "ben-laptop", "ben-phone"), ids(answer.body().getJsonArray("peers")));
        assertEquals(new JsonArray(), answer.body().getJsonArray("unreachable"));
      }
      assertEquals(List.of("ben-laptop", "ben-phone"), ids(admin(0).get("/admin/peers?user=ben").body().getJsonArray("peers")));
      Await.until("node 0 sees ben-laptop", () -> cluster.node(0).broker().broker().lookup("ben-laptop").connected(), 10);
      assertEquals(204, admin(0).delete("/admin/peers/ben-laptop", "{\"message\":\"bye\"}").status());
      c.expectError("bye");
      assertEquals(1008, (int) c.awaitClose().code());
    }
  }

  @Test
  void aBanSetOnOneNodeEndsAndRefusesTheUserOnEveryNode() {
    try (TestPeer phone = open(1, "eve-phone", "eve");
         TestPeer laptop = open(2, "eve-laptop", "eve");
         TestPeer other = open(2, "fay", "fay")) {
      assertEquals(201, admin(0).post("/admin/bans", "{\"user\":\"eve\",\"reason\":\"abuse\"}").status());
      phone.expectError("This user is banned");
      laptop.expectError("This user is banned");
      for (int node = 0; node < 3; node++) {
        try (TestPeer again = connect(node, "eve-tablet", "eve")) {
          again.expectError("This user is banned");
          assertEquals(1008, (int) again.awaitClose().code());
        }
        assertEquals("abuse", admin(node).get("/admin/bans").body().getJsonArray("bans").getJsonObject(0)
            .getString("reason"));
      }
      other.send(new JsonObject().put("type", "HEARTBEAT"));
      assertEquals(false, other.isClosed());
      assertEquals(204, admin(2).delete("/admin/bans/eve").status());
      // The lift reaches the other nodes over the event bus: each answers for its own view.
      for (int node = 0; node < 3; node++) {
        int n = node;
        Await.until("node " + n + " lifted the ban", () -> admin(n).get("/admin/bans").body().getJsonArray("bans").isEmpty(), 10);
      }
      for (int node = 0; node < 3; node++) {
        open(node, "eve-" + node, "eve").close();
      }
    }
  }

  @Test
  void anyNodeListsTheCallsOfAll() {
    try (TestPeer gil = open(1, "gil", "gil");
         TestPeer hal = open(2, "hal", "hal")) {
      Await.until("node 1 sees hal", () -> cluster.node(1).broker().broker().lookup("hal").connected(), 10);
      send(gil, "CALL-INVITE", invite("hal"));
      String callId = expect(gil, "CALL-TRYING").getString("callId");
      expect(hal, "CALL-INCOMING");
      JsonObject call = admin(0).get("/admin/calls").body().getJsonArray("calls").getJsonObject(0);
      assertEquals(callId, call.getString("callId"));
      assertEquals("ringing", call.getString("state"));
      JsonObject caller = admin(2).get("/admin/peers?user=gil").body().getJsonArray("peers").getJsonObject(0);
      assertEquals(caller.getString("node"), call.getString("node"), "the call's home is the caller's node");
    }
  }

  @Test
  void aRoomCreatedOnOneNodeAdmitsOnlyItsUsersOnEveryNode() {
    AdminClient.Answer created = admin(0).post("/admin/rooms", "{\"roomId\":\"vip\",\"capacity\":3,\"users\":[\"ivy\"]}");
    assertEquals(201, created.status(), created.text());
    try (TestPeer ivy = open(2, "ivy", "ivy");
         TestPeer jay = open(1, "jay", "jay")) {
      Await.until("node 1 knows the room", () -> admin(1).get("/admin/rooms/vip").status() == 200, 10);
      join(jay, "vip");
      JsonObject refused = jay.expectType("ROOM-ERROR").getJsonObject("payload");
      assertEquals("forbidden", refused.getString("code"));
      join(ivy, "vip");
      assertEquals("ROOM-JOINED", ivy.next().getString("type"));
      Await.until("node 1 sees ivy in the room", () -> admin(1).get("/admin/rooms/vip").body()
          .getJsonArray("members").size() == 1, 10);
      assertEquals(204, admin(1).delete("/admin/rooms/vip").status());
      assertEquals("ROOM-LEFT", ivy.next().getString("type"));
    }
  }

  private static void join(TestPeer peer, String roomId) {
    peer.send(new JsonObject().put("type", "ROOM-JOIN").put("payload", new JsonObject().put("roomId", roomId)));
  }
}

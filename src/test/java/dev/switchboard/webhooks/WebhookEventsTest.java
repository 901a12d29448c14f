package dev.switchboard.webhooks;

import dev.switchboard.Switchboard;
import dev.switchboard.calls.CallSettings;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.webhooks.WebhookTesting.SECRET;
import static dev.switchboard.webhooks.WebhookTesting.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer and call events as the receiver sees them, from real peers on a broker. */
@ExtendWith(VertxExtension.class)
class WebhookEventsTest {
  private Vertx vertx;
  private WebhookReceiver receiver;
  private Switchboard broker;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    receiver = WebhookReceiver.start(vertx, SECRET);
    broker = Brokers.start(vertx, options(receiver.url()).set(CallSettings.RECONNECT_GRACE, 300L));
    port = broker.actualPort();
  }

  @AfterEach
  void stop() {
    Await.result(broker.close());
    receiver.close();
    assertEquals(List.of(), receiver.problems());
  }

  private static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  private static JsonObject payload(TestPeer peer, String type) {
    return peer.expectType(type).getJsonObject("payload");
  }

  @Test
  void onlineOnceThroughAReloadAndOfflineAfterTheGrace() {
    TestPeer alice = TestPeer.open(vertx, port, "alice");
    Hit online = receiver.nextDelivered("peer.online");
    assertEquals(new JsonObject().put("peerId", "alice").putNull("userId").put("transport", "websocket"), online.data());
    alice.close();
    // A reload: the same id and token back within the 300 ms grace is neither offline nor online again.
    alice = TestPeer.openWhenFree(vertx, port, "alice", "token-alice");
    alice.close();
    Hit offline = receiver.nextDelivered("peer.offline");
    assertEquals("alice", offline.data().getString("peerId"));
    assertEquals("client_closed", offline.data().getString("reason"));
    assertTrue(offline.data().getLong("disconnectedAt") > 0);
    receiver.expectNoDelivery(Duration.ofMillis(400));
    assertEquals(List.of("peer.online", "peer.offline"), receiver.delivered().stream().map(Hit::type).toList());
  }

  @Test
  void aCallsEventsArriveInOrderWithItsDurations() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "c-1"));
      payload(alice, "CALL-TRYING");
      payload(bob, "CALL-INCOMING");
      send(bob, "CALL-RINGING", new JsonObject().put("callId", "c-1"));
      payload(alice, "CALL-RINGING");
      send(bob, "CALL-ACCEPT", new JsonObject().put("callId", "c-1"));
      payload(alice, "CALL-ACCEPTED");
      payload(bob, "CALL-ACCEPTED");
      send(alice, "CALL-HANGUP", new JsonObject().put("callId", "c-1"));
      payload(alice, "CALL-ENDED");
      List<String> types = List.of("call.invited", "call.ringing", "call.answered", "call.ended");
      JsonObject ended = null;
      for (String type : types) {
        Hit hit = receiver.nextDelivered(type);
        assertEquals("c-1", hit.data().getString("callId"));
        assertEquals("alice", hit.data().getString("callerUser"));
        assertEquals("bob", hit.data().getString("calleeUser"));
        ended = hit.data();
      }
      assertEquals(types, receiver.delivered().stream().map(Hit::type).filter(t -> t.startsWith("call.")).toList());
      assertEquals("hangup", ended.getString("reason"));
      assertTrue(ended.getBoolean("answered"));
      assertEquals("bob", ended.getString("acceptedPeer"));
      assertTrue(ended.getLong("setupMs") >= 0 && ended.getLong("talkMs") >= 0, ended::encode);
      for (Hit hit : receiver.hits()) {
        assertFalse(hit.body().encode().contains("token-"), "a token in " + hit.body());
      }
    }
  }

  @Test
  void aCancelledCallIsMissedForTheCallee() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "c-2"));
      payload(bob, "CALL-INCOMING");
      send(alice, "CALL-CANCEL", new JsonObject().put("callId", "c-2"));
      Hit ended = receiver.nextDelivered("call.ended");
      assertEquals("cancelled", ended.data().getString("reason"));
      assertFalse(ended.data().getBoolean("answered"));
      assertEquals(0, ended.data().getLong("talkMs"));
      assertNull(ended.data().getString("acceptedPeer"));
      Hit missed = receiver.nextDelivered("call.missed");
      assertEquals("c-2", missed.data().getString("callId"));
      assertEquals("cancelled", missed.data().getString("reason"));
    }
  }

  @Test
  void aRoomsEventsArriveInOrderOncePerChange() {
    try (TestPeer alice = TestPeer.open(vertx, port, "alice").ignoring("PRESENCE", "ROOM-MEMBER");
         TestPeer bob = TestPeer.open(vertx, port, "bob").ignoring("PRESENCE", "ROOM-MEMBER")) {
      send(alice, "ROOM-CREATE", new JsonObject().put("roomId", "lobby").put("emptyTimeoutMs", 1000));
      payload(alice, "ROOM-CREATED");
      send(alice, "ROOM-JOIN", new JsonObject().put("roomId", "lobby"));
      payload(alice, "ROOM-JOINED");
      send(bob, "ROOM-JOIN", new JsonObject().put("roomId", "lobby"));
      payload(bob, "ROOM-JOINED");
      send(bob, "ROOM-LEAVE", new JsonObject().put("roomId", "lobby"));
      payload(bob, "ROOM-LEFT");
      send(alice, "ROOM-LEAVE", new JsonObject().put("roomId", "lobby"));
      payload(alice, "ROOM-LEFT");
      Hit closed = receiver.nextDelivered("room.closed");
      assertEquals(new JsonObject().put("roomId", "lobby"), closed.data());
      List<String> roomEvents = receiver.delivered().stream().filter(h -> h.type().startsWith("room."))
          .map(h -> h.type() + (h.data().containsKey("peerId") ? ":" + h.data().getString("peerId") : "")).toList();
      assertEquals(List.of("room.created", "room.joined:alice", "room.joined:bob", "room.left:bob", "room.left:alice",
          "room.closed"), roomEvents);
      JsonObject joined = receiver.delivered().stream().filter(h -> h.type().equals("room.joined")).toList().get(1).data();
      assertEquals(new JsonObject().put("roomId", "lobby").put("peerId", "bob").put("userId", "bob").put("members", 2), joined);
    }
  }
}

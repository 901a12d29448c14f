package dev.switchboard.webhooks;

import dev.switchboard.calls.CallSettings;
import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import dev.switchboard.support.WebhookReceiver.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.switchboard.webhooks.WebhookTesting.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Webhooks from two clustered brokers posting to one receiver: each event is sent once, by the node where
 * it happened (a peer's by its node, a call's by its home), and a wake-up on one node rings the device
 * that connects to the other.
 */
class WebhookClusterIT {
  private static Vertx client;
  private static WebhookReceiver receiver;
  private static ClusterNodes cluster;

  @BeforeAll
  static void startCluster() {
    client = Vertx.vertx();
    receiver = WebhookReceiver.start(client, SECRET);
    cluster = new ClusterNodes(o -> WebhookTesting.options(receiver.url()).setEventLoops(2)
        .set(CallSettings.RECONNECT_GRACE, 300L)).start(2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    receiver.close();
    assertEquals(List.of(), receiver.problems());
    client.close();
  }

  @BeforeEach
  void forget() {
    receiver.answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.json("{\"pushed\":true}") : Reply.ok());
    receiver.forget();
  }

  private static TestPeer open(int node, String id) {
    TestPeer peer = TestPeer.connect(client, cluster.node(node).port(), id, "token-" + id);
    peer.expectType("OPEN");
    return peer;
  }

  private static void send(TestPeer peer, String type, JsonObject payload) {
    peer.send(new JsonObject().put("type", type).put("payload", payload));
  }

  private static JsonObject payload(TestPeer peer, String type) {
    return peer.expectType(type).getJsonObject("payload");
  }

  private static Map<String, Long> counts() {
    return receiver.delivered().stream().collect(Collectors.groupingBy(h -> h.type() + " " + subject(h), Collectors.counting()));
  }

  private static String subject(Hit hit) {
    JsonObject data = hit.data();
    return data.containsKey("callId") ? data.getString("callId") : data.getString("peerId");
  }

  @Test
  void eachEventIsSentOnceByTheNodeWhereItHappened() {
    try (TestPeer alice = open(0, "alice")) {
      TestPeer bob = open(1, "bob");
      Await.until("node 0 sees bob", () -> cluster.node(0).broker().broker().lookup("bob").connected(), 10);
      send(alice, "CALL-INVITE", new JsonObject().put("to", "bob").put("callId", "x-1"));
      assertEquals(1, payload(alice, "CALL-TRYING").getInteger("devices"));
      payload(bob, "CALL-INCOMING");
      send(bob, "CALL-ACCEPT", new JsonObject().put("callId", "x-1"));
      payload(alice, "CALL-ACCEPTED");
      payload(bob, "CALL-ACCEPTED");
      send(alice, "CALL-HANGUP", new JsonObject().put("callId", "x-1"));
      payload(bob, "CALL-ENDED");
      bob.close();
      receiver.nextDelivered("peer.offline");
      receiver.deliveredWithin(Duration.ofMillis(800)); // a duplicate from the other node would come by now
      Map<String, Long> counts = counts();
      for (String event : List.of("peer.online alice", "peer.online bob", "call.invited x-1", "call.answered x-1",
          "call.ended x-1", "peer.offline bob")) {
        assertEquals(1L, counts.getOrDefault(event, 0L), () -> event + " in " + counts);
      }
    }
  }

  @Test
  void aWakeUpOnOneNodeRingsTheDeviceThatConnectsToTheOther() {
    try (TestPeer alice = open(0, "alice2")) {
      send(alice, "CALL-INVITE", new JsonObject().put("to", "carol").put("callId", "x-2"));
      assertEquals(true, payload(alice, "CALL-TRYING").getBoolean("woken"));
      assertEquals("carol", receiver.nextDelivered("callee.wakeup").data().getString("user"));
      try (TestPeer carol = open(1, "carol")) {
        assertEquals("x-2", payload(carol, "CALL-INCOMING").getString("callId"));
        send(carol, "CALL-ACCEPT", new JsonObject().put("callId", "x-2"));
        assertEquals("carol", payload(alice, "CALL-ACCEPTED").getString("peer"));
        send(alice, "CALL-HANGUP", new JsonObject().put("callId", "x-2"));
        assertEquals("hangup", receiver.nextDelivered("call.ended").data().getString("reason"));
      }
      Function<String, Long> wakeups = type -> receiver.delivered().stream().filter(h -> type.equals(h.type())).count();
      assertEquals(1L, wakeups.apply("callee.wakeup"));
    }
  }
}

package dev.switchboard.calls;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.calls.CallFrames.expect;
import static dev.switchboard.calls.CallFrames.expectEnded;
import static dev.switchboard.calls.CallFrames.id;
import static dev.switchboard.calls.CallFrames.invite;
import static dev.switchboard.calls.CallFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Call metrics (outcome and reason, active calls, latencies; no ids in labels) and listener events. */
@ExtendWith(VertxExtension.class)
class CallMetricsTest {
  private final SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Switchboard broker;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    broker = Await.result(Switchboard.start(vertx, Brokers.options(), metrics));
    broker.addListener(new BrokerListener() {
      @Override
      public void callInvited(CallInfo call) {
        events.add("invited " + call.callerPeer() + ">" + call.calleeUser() + (call.inferred() ? " inferred" : ""));
      }

      @Override
      public void callRinging(CallInfo call) {
        events.add("ringing");
      }

      @Override
      public void callAccepted(CallInfo call) {
        events.add("accepted " + call.acceptedPeer());
      }

      @Override
      public void callMedia(CallInfo call) {
        events.add("media");
      }

      @Override
      public void callEnded(CallInfo call, String reason) {
        events.add("ended " + reason);
      }
    });
  }

  private double ended(String kind, String outcome, String reason) {
    var counter = metrics.registry().find("switchboard.calls.ended")
        .tags("kind", kind, "outcome", outcome, "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private double active(String kind) {
    return metrics.registry().find("switchboard.calls.active").tag("kind", kind).gauge().value();
  }

  private long latencies(String name) {
    return metrics.registry().find(name).timer().count();
  }

  @Test
  void aSignalledCallIsCountedTimedAndReported() {
    int port = broker.actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      send(alice, "CALL-INVITE", invite("nobody").put("callId", "c0"));
      expectEnded(alice, "c0", "unavailable");
      send(alice, "CALL-INVITE", invite("bob").put("callId", "c1"));
      expect(alice, "CALL-TRYING");
      expect(bob, "CALL-INCOMING");
      assertEquals(1, active("signalled"));
      send(bob, "CALL-RINGING", id("c1"));
      expect(alice, "CALL-RINGING");
      send(bob, "CALL-ACCEPT", id("c1"));
      expect(alice, "CALL-ACCEPTED");
      expect(bob, "CALL-ACCEPTED");
      alice.send(new JsonObject().put("type", "OFFER").put("dst", "bob")
          .put("payload", new JsonObject().put("type", "media").put("connectionId", "mc_1")));
      bob.expectType("OFFER");
      Await.until("media seen", () -> events.contains("media"), 5);
      send(bob, "CALL-HANGUP", id("c1"));
      expectEnded(alice, "c1", "hangup");
      Await.until("ended counted", () -> ended("signalled", "answered", "hangup") == 1, 5);
      assertEquals(1, ended("signalled", "unanswered", "unavailable"));
      assertEquals(0, active("signalled"));
      assertEquals(0, active("inferred"), "the media OFFER of a signalled call is no inferred call");
      assertEquals(1, latencies("switchboard.call.ringing.latency"));
      assertEquals(1, latencies("switchboard.call.accept.latency"));
      assertEquals(1, latencies("switchboard.call.media.latency"));
      assertEquals(List.of("invited alice>nobody", "ended unavailable", "invited alice>bob", "ringing", "accepted bob",
          "media", "ended hangup"), events);
      noIdsInLabels(metrics.registry());
    }
  }

  @Test
  void aPlainPeerJsCallIsInferred() {
    int port = broker.actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      alice.send(new JsonObject().put("type", "OFFER").put("dst", "bob")
          .put("payload", new JsonObject().put("type", "data").put("connectionId", "dc_1")));
      bob.expectType("OFFER");
      alice.send(new JsonObject().put("type", "OFFER").put("dst", "bob")
          .put("payload", new JsonObject().put("type", "media").put("connectionId", "mc_1").put("sdp", "v=0")));
      bob.expectType("OFFER");
      // Seen just after the relay, so it may trail the OFFER's arrival.
      Await.until("inferred call seen", () -> active("inferred") == 1, 5);
      bob.send(new JsonObject().put("type", "ANSWER").put("dst", "alice")
          .put("payload", new JsonObject().put("type", "media").put("connectionId", "mc_1").put("sdp", "v=0")));
      alice.expectType("ANSWER");
      Await.until("answer seen", () -> events.contains("accepted bob"), 5);
      alice.send(new JsonObject().put("type", "LEAVE").put("dst", "bob"));
      bob.expectType("LEAVE");
      Await.until("inferred call ended", () -> ended("inferred", "answered", "hangup") == 1, 5);
      assertEquals(0, active("inferred"));
      assertEquals(List.of("invited alice>bob inferred", "accepted bob", "media", "ended hangup"), events);
    }
  }

  private static void noIdsInLabels(MeterRegistry registry) {
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertFalse(List.of("alice", "bob", "c1", "mc_1").contains(tag.getValue()), meter.getId().toString());
      }
    }
  }
}

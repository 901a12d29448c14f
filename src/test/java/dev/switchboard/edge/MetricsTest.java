package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.edge.HealthAndDrainTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus text at /metrics (or on --metrics_port): broker, Vert.x and JVM series that move with traffic. */
class MetricsTest {
  private final SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
  private final Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(metrics.vertxMetricsOptions()))
      .withMetrics(metrics.vertxMetricsFactory())
      .build();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    assertTrue(m.find(), "no " + series + " in\n" + scrape);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void seriesArePresentAndMoveWithTraffic() {
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().setExpireTimeout(200), metrics));
    int port = broker.actualPort();
    String before = get(vertx, port, "/metrics").body();
    assertEquals(0.0, value(before, "switchboard_peers_connected{transport=\"websocket\"}"));
    assertEquals(1.0, value(before, "switchboard_ready"));
    assertTrue(before.contains("jvm_memory_used_bytes"), "JVM metrics");

    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      bob.send(new JsonObject().put("type", "OFFER").put("dst", "alice").put("payload", new JsonObject()));
      alice.expectType("OFFER");
      bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "carol").put("payload", new JsonObject()));
      bob.expectType("EXPIRE"); // queued for carol, expired after 200 ms
      bob.send("not json");
      bob.expectType("ERROR");
      try (TestPeer thief = TestPeer.connect(vertx, port, "alice", "other-token")) {
        thief.expectType("ID-TAKEN");
      }
      String after = get(vertx, port, "/metrics").body();
      assertEquals(2.0, value(after, "switchboard_peers_connected{transport=\"websocket\"}"));
      assertEquals(2.0, value(after, "switchboard_connections_opened_total{transport=\"websocket\"}"));
      assertEquals(1.0, value(after, "switchboard_connections_refused_total{reason=\"id_taken\",transport=\"websocket\"}"));
      assertEquals(1.0, value(after, "switchboard_messages_relayed_total{type=\"OFFER\"}"));
      assertEquals(1.0, value(after, "switchboard_messages_queued_total{type=\"CANDIDATE\"}"));
      assertEquals(1.0, value(after, "switchboard_messages_expired_total"));
      assertEquals(1.0, value(after, "switchboard_frames_rejected_total{reason=\"malformed\"}"));
      assertEquals(3.0, value(after, "switchboard_frame_size_bytes_count"));
      assertTrue(value(after, "switchboard_frame_size_bytes_sum") > 0);
      assertTrue(after.contains("vertx_pool_"), "Vert.x metrics");
      assertTrue(after.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(get(vertx, port, "/metrics").body().contains("switchboard_http_responses_total{code=\"200\"}"),
          "HTTP responses by code (the previous scrape)");
      for (String secret : new String[] {"token-alice", "other-token", "alice", "carol"}) {
        assertFalse(after.contains(secret), "no ids or tokens in series: " + secret);
      }
    }
    Await.until("disconnections counted", () -> {
      String scrape = get(vertx, port, "/metrics").body();
      return value(scrape, "switchboard_peers_connected{transport=\"websocket\"}") == 0.0
          && scrape.contains("switchboard_disconnections_total{reason=\"client_closed\",transport=\"websocket\"} 2.0");
    }, 5);
  }

  @Test
  void queuedMessagesAreGaugedInCountAndBytes() {
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options(), metrics));
    int port = broker.actualPort();
    try (TestPeer bob = TestPeer.open(vertx, port, "bob")) {
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"carol\",\"payload\":\"abc\"}");
      // A frame to himself comes back only after the broker queued the one before it.
      bob.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\"}");
      bob.expectType("CANDIDATE");
      String scrape = get(vertx, port, "/metrics").body();
      assertEquals(1.0, value(scrape, "switchboard_queued_messages"));
      String queued = "{\"type\":\"CANDIDATE\",\"dst\":\"carol\",\"payload\":\"abc\",\"src\":\"bob\"}";
      assertEquals(queued.length(), value(scrape, "switchboard_queued_bytes"));
    }
  }

  @Test
  void metricsPortMovesMetricsOffThePublicPort() {
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().setMetricsPort(0), metrics));
    assertEquals(404, get(vertx, broker.actualPort(), "/metrics").status());
    assertEquals(200, get(vertx, broker.actualPort(), "/ready").status());
    assertTrue(broker.metricsPort() > 0);
    assertTrue(get(vertx, broker.metricsPort(), "/metrics").body().contains("switchboard_peers_connected"));
  }
}

package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.RawWebSocket;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.protocol.CloseReason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.edge.HealthAndDrainTest.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
  void aMessageThatIsNotUtf8IsCountedByItsOwnReason() throws Exception {
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options(), metrics));
    int port = broker.actualPort();
    try (RawWebSocket mallory = RawWebSocket.open(port, "mallory")) {
      mallory.sendText(new byte[] {'{', '"', (byte) 0xc0, (byte) 0x80, '"', ':', '1', '}'});
      assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid message: not valid UTF-8\"}}", mallory.read().text());
    }
    Await.until("rejection and disconnection counted", () -> {
      String scrape = get(vertx, port, "/metrics").body();
      return scrape.contains("switchboard_frames_rejected_total{reason=\"invalid_utf8\"} 1.0")
          && scrape.contains("switchboard_disconnections_total{reason=\"invalid_utf8\",transport=\"websocket\"} 1.0");
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

  @Test
  void metricsHostBindsTheMetricsServerToThatAddressOnly() throws Exception {
    // All of 127.0.0.0/8 is loopback on Linux: 127.0.0.2 stands for "another address of this machine".
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().setHost("127.0.0.1")
        .setMetricsPort(0).setMetricsHost("127.0.0.2"), metrics));
    int port = broker.metricsPort();
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    java.net.http.HttpResponse<String> scrape = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.2:" + port + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.body().contains("switchboard_ready"));
    assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", port).close());
  }

  @Test
  void everySeriesHasHelpTextAndDocsListEverySeriesAndLabelValue() throws Exception {
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options(), metrics));
    int port = broker.actualPort();
    try (TestPeer alice = TestPeer.open(vertx, port, "alice");
         TestPeer thief = TestPeer.connect(vertx, port, "alice", "other-token")) {
      thief.expectType("ID-TAKEN");
      alice.send("not json");
      alice.expectType("ERROR");
    }
    String scrape = get(vertx, port, "/metrics").body();
    Matcher help = Pattern.compile("(?m)^# HELP (\\S+)(.*)$").matcher(scrape);
    String docs = Files.readString(Path.of("docs/deploy.md"));
    int seen = 0;
    while (help.find()) {
      seen++;
      assertFalse(help.group(2).isBlank(), "no HELP text for " + help.group(1));
      String name = help.group(1);
      if (name.startsWith("switchboard_")) {
        String base = name.replaceAll("_(total|count|sum|max|bucket)$", "");
        assertTrue(docs.contains("`" + name + "`") || docs.contains("`" + base + "`")
            || docs.contains("`" + base + "_total`"), name + " is not in docs/deploy.md");
      }
    }
    assertTrue(seen > 20, scrape);
    for (CloseReason reason : CloseReason.values()) {
      String label = reason.name().toLowerCase(java.util.Locale.ROOT);
      assertTrue(docs.contains("`" + label + "`"), "reason " + label + " is not in docs/deploy.md");
    }
    for (String value : new String[] {"hit", "miss", "refused", "failure", "other", "success", "websocket", "xhr"}) {
      assertTrue(docs.contains("`" + value + "`"), "label value " + value + " is not in docs/deploy.md");
    }
  }

  @Test
  void startingLogsNoWarning() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord record) { records.add(record); }
      @Override public void flush() { }
      @Override public void close() { }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      SwitchboardMetrics own = SwitchboardMetrics.prometheus();
      // A registry name of its own: Vert.x shares backends by name, and this class's Vert.x holds the default.
      io.vertx.micrometer.MicrometerMetricsOptions options = (io.vertx.micrometer.MicrometerMetricsOptions)
          own.vertxMetricsOptions();
      options.setRegistryName("starting-logs-no-warning");
      Vertx metered = Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
          .withMetrics(own.vertxMetricsFactory()).build();
      try {
        Await.result(Switchboard.start(metered, Brokers.options(), own));
        // Micrometer warns about a duplicate gauge once per JVM only, so check the cause as well: each
        // pool has series of its own, not one per name that the second pool collides with.
        String scrape = own.registry().scrape();
        long pools = scrape.lines().filter(line -> line.startsWith("vertx_pool_queue_pending{"))
            .map(line -> line.replaceAll(".*pool_name=\"([^\"]*)\".*", "$1")).distinct().count();
        assertTrue(pools >= 2, scrape);
      } finally {
        Await.result(metered.close());
      }
    } finally {
      root.removeHandler(capture);
    }
    List<String> warnings = records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList();
    assertEquals(List.of(), warnings);
  }
}

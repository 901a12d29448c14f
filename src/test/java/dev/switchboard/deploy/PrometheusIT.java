package dev.switchboard.deploy;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.Command;
import dev.switchboard.support.ProxyProcess;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's Prometheus scraping a running broker every second, with the shipped alert rules loaded:
 * every query of docs/grafana-dashboard.json answers data through Prometheus's HTTP API, every rule of
 * docs/deploy/alerts.yml evaluates without error on series the broker really exports, and promtool
 * checks and unit-tests the rules (docs/deploy/alerts.test.yml).
 */
class PrometheusIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path DEPLOY = ProxyProcess.BASEDIR.resolve("docs/deploy");
  // Grafana's variables as a dashboard with "All" brokers selected would send them.
  private static final List<String> GRAFANA_VARIABLES = List.of(
      "$instance", ".*", "${instance}", ".*", "$__rate_interval", "1m", "$__interval", "1s", "$__range", "5m");
  private static final int DATA_WAIT_SECONDS = 60;
  private static final String NEVER = "0001-01-01T00:00:00Z"; // a rule's lastEvaluation before its first

  @TempDir
  static Path dir;
  private static final SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
  private static Vertx vertx;
  private static Switchboard broker;
  private static final List<TestPeer> peers = new ArrayList<>();
  private static ProxyProcess prometheus;
  private static int prometheusPort;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startBrokerTrafficAndPrometheus() throws Exception {
    MicrometerMetricsOptions metricsOptions = (MicrometerMetricsOptions) metrics.vertxMetricsOptions();
    metricsOptions.setRegistryName("prometheus-it"); // Vert.x shares metrics backends by name
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(metricsOptions))
        .withMetrics(metrics.vertxMetricsFactory()).build();
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    // TLS and JWT auth, so that certificate reloads and identity look-ups have series too.
    broker = Await.result(Switchboard.start(vertx, Brokers.options().setExpireTimeout(2000)
        .setSslKey(certificate.privateKeyPath()).setSslCert(certificate.certificatePath()).setCertReloadInterval(0)
        .setAuth("jwt").setJwtSecret(Tokens.SECRET).setMetricsPort(0).setMetricsHost("127.0.0.1"), metrics));
    PemTrustOptions trust = new PemTrustOptions().addCertPath(certificate.certificatePath());
    makeTraffic(new WebSocketClientOptions().setSsl(true).setTrustOptions(trust));
    // An API request on the broker's own port (the scrapes go to the metrics port, which is not counted).
    HttpClientAgent api = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trust));
    assertEquals(200, (int) Await.result(api.request(HttpMethod.GET, broker.actualPort(), "localhost", "/health")
        .compose(request -> request.send()).map(response -> response.statusCode())));
    assertTrue(Await.result(broker.reloadCertificates()));
    System.gc(); // the dashboard's GC panel needs one collection after the broker's meters were bound

    prometheusPort = ProxyProcess.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files:",
        "  - " + DEPLOY.resolve("alerts.yml"),
        "scrape_configs:",
        "  - job_name: switchboard",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + broker.metricsPort() + "']",
        ""));
    Files.createDirectories(dir.resolve("data"));
    prometheus = ProxyProcess.start(List.of(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort), dir, prometheusPort);
    // It listens before its storage is ready, answering 503 "Service Unavailable" meanwhile.
    Await.until("Prometheus is ready", () -> readyStatus() == 200, 30);
  }

  private static int readyStatus() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Peers connect, relay, queue, expire, are refused and leave, so each of the broker's own series exists. */
  private static void makeTraffic(WebSocketClientOptions tls) {
    int port = broker.actualPort();
    TestPeer alice = open(tls, port, "alice", token("alice"));
    TestPeer bob = open(tls, port, "bob", token("bob"));
    bob.send(new JsonObject().put("type", "OFFER").put("dst", "alice").put("payload", new JsonObject()));
    alice.expectType("OFFER");
    bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "carol").put("payload", new JsonObject()));
    bob.expectType("EXPIRE"); // carol never comes
    bob.send(new JsonObject().put("type", "CANDIDATE").put("dst", "dave").put("payload", new JsonObject()));
    try (TestPeer dave = open(tls, port, "dave", token("dave"))) {
      dave.expectType("CANDIDATE"); // delivered late
    }
    try (TestPeer mallory = connect(tls, port, "mallory", "not-a-jwt")) {
      mallory.expectType("ERROR"); // refused: invalid_token
    }
    bob.send("not json");
    bob.expectType("ERROR");
  }

  private static String token(String user) {
    return Tokens.hs256(Tokens.SECRET, Tokens.claims(user));
  }

  private static TestPeer connect(WebSocketClientOptions tls, int port, String id, String token) {
    TestPeer peer = TestPeer.connect(vertx, tls, new WebSocketConnectOptions().setHost("localhost").setPort(port)
        .setSsl(true).setURI("/peerjs?" + TestPeer.query(id, token)));
    peers.add(peer);
    return peer;
  }

  private static TestPeer open(WebSocketClientOptions tls, int port, String id, String token) {
    TestPeer peer = connect(tls, port, id, token);
    peer.expectType("OPEN");
    return peer;
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    peers.forEach(TestPeer::close);
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void everyDashboardQueryReturnsData() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(ProxyProcess.BASEDIR.resolve("docs/grafana-dashboard.json")));
    Set<String> queries = new LinkedHashSet<>();
    collectQueries(dashboard.getJsonArray("panels"), queries);
    assertTrue(queries.size() >= 20, "the dashboard's queries: " + queries);
    List<String> empty = new ArrayList<>(queries);
    try {
      Await.until("data for every dashboard query", () -> {
        empty.removeIf(query -> !query(substitute(query)).isEmpty());
        return empty.isEmpty();
      }, DATA_WAIT_SECONDS);
    } catch (AssertionError e) {
      throw new AssertionError("no data for " + empty + "\n" + prometheus.log(), e);
    }
    // The Broker variable's own query: label_values(switchboard_ready, instance).
    JsonArray instances = api("/api/v1/label/instance/values?match[]=switchboard_ready").getJsonArray("data");
    assertEquals(new JsonArray().add("127.0.0.1:" + broker.metricsPort()), instances);
  }

  @Test
  void everyAlertRuleEvaluatesOnSeriesTheBrokerExports() throws IOException {
    String rules = Files.readString(DEPLOY.resolve("alerts.yml"));
    Set<String> names = new LinkedHashSet<>();
    Matcher expr = Pattern.compile("(?m)^\\s*expr: (.*)$").matcher(rules);
    while (expr.find()) {
      Matcher name = Pattern.compile("\\b(switchboard_[a-z_]+|jvm_[a-z_]+|up)\\b\\s*[{(]?").matcher(expr.group(1));
      while (name.find()) {
        names.add(name.group(1));
      }
    }
    assertTrue(names.size() >= 8, "metric names in alerts.yml: " + names);
    List<String> missing = new ArrayList<>(names);
    Await.until("series for every name the alerts use: " + missing, () -> {
      missing.removeIf(name -> !query("count({__name__=\"" + name + "\"})").isEmpty());
      return missing.isEmpty();
    }, DATA_WAIT_SECONDS);

    Await.until("every alert rule loaded and evaluated", () -> {
      List<JsonObject> loaded = loadedRules();
      return loaded.size() == Pattern.compile("(?m)^\\s*- alert: ").matcher(rules).results().count()
          && loaded.stream().allMatch(rule -> !rule.getString("lastEvaluation", NEVER).equals(NEVER));
    }, DATA_WAIT_SECONDS);
    for (JsonObject rule : loadedRules()) {
      assertEquals("ok", rule.getString("health"), rule.encodePrettily());
      assertFalse(rule.containsKey("lastError") && !rule.getString("lastError").isEmpty(), rule.encodePrettily());
    }
    // The broker is up and ready: its own availability alerts stay quiet.
    assertEquals(List.of(), query("ALERTS{alertname=~\"SwitchboardDown|SwitchboardNotReady\"}"));
  }

  @Test
  void promtoolChecksAndUnitTestsTheRules() {
    assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing (scripts/install-test-tools.sh installs prometheus)");
    Duration wait = Duration.ofSeconds(60);
    Command.Result check = Command.run(DEPLOY, wait, PROMTOOL.toString(), "check", "rules", "alerts.yml");
    assertTrue(check.output().contains("SUCCESS: 8 rules found"), check.describe("found other rules"));
    Command.Result test = Command.run(DEPLOY, wait, PROMTOOL.toString(), "test", "rules", "alerts.test.yml");
    assertTrue(test.output().contains("SUCCESS"), test.describe("did not pass"));
  }

  private static void collectQueries(JsonArray panels, Set<String> queries) {
    if (panels == null) {
      return;
    }
    for (int i = 0; i < panels.size(); i++) {
      JsonObject panel = panels.getJsonObject(i);
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      for (int t = 0; t < targets.size(); t++) {
        String expr = targets.getJsonObject(t).getString("expr");
        if (expr != null) {
          queries.add(expr);
        }
      }
      collectQueries(panel.getJsonArray("panels"), queries);
    }
  }

  /** The query with Grafana's variables replaced; a variable this test does not know fails it. */
  static String substitute(String query) {
    String result = query;
    for (int i = 0; i < GRAFANA_VARIABLES.size(); i += 2) {
      result = result.replace(GRAFANA_VARIABLES.get(i), GRAFANA_VARIABLES.get(i + 1));
    }
    assertFalse(result.contains("$"), "a Grafana variable this test does not substitute: " + query);
    return result;
  }

  /** The result vector of an instant query (fails on a query Prometheus rejects). */
  private static List<Object> query(String promql) {
    JsonObject answer = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    return answer.getJsonObject("data").getJsonArray("result").getList();
  }

  private static List<JsonObject> loadedRules() {
    List<JsonObject> rules = new ArrayList<>();
    JsonArray groups = api("/api/v1/rules").getJsonObject("data").getJsonArray("groups");
    for (int g = 0; g < groups.size(); g++) {
      JsonArray inGroup = groups.getJsonObject(g).getJsonArray("rules");
      for (int r = 0; r < inGroup.size(); r++) {
        rules.add(inGroup.getJsonObject(r));
      }
    }
    return rules;
  }

  private static JsonObject api(String pathAndQuery) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + prometheusPort + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(response.body());
      assertEquals("success", body.getString("status"), pathAndQuery + " -> " + response.body());
      return body;
    } catch (IOException e) {
      throw new AssertionError("Prometheus did not answer " + pathAndQuery + "\n" + prometheus.log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

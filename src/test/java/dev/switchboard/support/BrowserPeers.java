package dev.switchboard.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Builds the spec for {@code src/test/js/browser-peers.mjs} (headless Chromium pages running
 * unmodified PeerJS 1.5.5) and runs one of its scenarios. See that script for the spec's fields.
 */
public final class BrowserPeers {

  /** The driver gives up after this; the JVM side waits a little longer for its report. */
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROCESS_TIMEOUT = SCENARIO_TIMEOUT.plusSeconds(30);

  private final JsonObject broker;
  private final JsonArray pages = new JsonArray();
  private final JsonObject settings = new JsonObject();
  private Duration scenarioTimeout = SCENARIO_TIMEOUT;

  private BrowserPeers(JsonObject broker) {
    this.broker = broker;
  }

  /** Pages will reach the broker at {@code ws://host:port{path}peerjs?key=...}. */
  public static BrowserPeers against(String host, int port, String path, String key) {
    return new BrowserPeers(new JsonObject().put("host", host).put("port", port).put("path", path).put("key", key));
  }

  /** Pages use wss:// and https:// (PeerJS {@code secure: true}); the test certificate is accepted. */
  public BrowserPeers secure() {
    broker.put("secure", true);
    return this;
  }

  /** PeerJS options for a page: {@code id} is given to the Peer constructor, the rest as options. */
  public static JsonObject peer(String id, String token) {
    return new JsonObject().put("id", id).put("token", token);
  }

  /** Adds a page, named for the log, that opens a Peer with {@code peerOptions}. */
  public BrowserPeers page(String name, JsonObject peerOptions) {
    return page(new JsonObject().put("name", name).put("peer", peerOptions));
  }

  /** Adds a page that reaches its own broker on {@code port} of the same host (a node of a cluster). */
  public BrowserPeers pageOn(int port, String name, JsonObject peerOptions) {
    return page(new JsonObject().put("name", name).put("peer", peerOptions).put("broker", new JsonObject().put("port", port)));
  }

  /** Adds a page from a full page spec (name, peer, broker, initScript, scripts). */
  public BrowserPeers page(JsonObject pageSpec) {
    pages.add(pageSpec);
    return this;
  }

  /** A scenario's own settings, put at the top of the spec under {@code key} (e.g. "calls"). */
  public BrowserPeers setting(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  /** How long the whole scenario may take, for scenarios that wait out broker timers (default 30 s). */
  public BrowserPeers timeout(Duration timeout) {
    scenarioTimeout = timeout;
    return this;
  }

  /** Runs the scenario and returns its report; fails with the whole output unless every step passed. */
  public NodeRun run(String scenario) {
    JsonObject spec = settings.copy()
        .put("broker", broker)
        .put("scenario", scenario)
        .put("timeoutMs", scenarioTimeout.toMillis())
        .put("pages", pages);
    NodeRun run = NodeScript.run("browser-peers.mjs", spec, scenarioTimeout.plus(PROCESS_TIMEOUT.minus(SCENARIO_TIMEOUT)));
    System.out.print(run.stdout());
    List<JsonObject> lines = run.jsonLines();
    if (lines.isEmpty() || !"pass".equals(lines.get(lines.size() - 1).getString("result"))) {
      throw new AssertionError(run.describe("exited 0 without a final pass result"));
    }
    return run;
  }
}

package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restricted networks in headless Chromium: WebSockets to the broker stalled or refused by an init
 * script, and calls still made — by unmodified PeerJS 0.3.24 over XHR streaming, and by PeerJS 1.5.5
 * with {@code peerjs-patches/peerjs-xhr-fallback.js}.
 */
@ExtendWith(VertxExtension.class)
class XhrFallbackBrowserIT {
  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";
  static final String ADD_ON = "../../../peerjs-patches/peerjs-xhr-fallback.js";

  /** A proxy that swallows the upgrade: the WebSocket never opens, never fails. */
  static final String STALL_WEBSOCKETS = """
      window.WebSocket = class StalledWebSocket {
        constructor(url) { this.url = url; this.readyState = 0; console.log('WebSocket stalled: ' + url); }
        send() { throw new Error('InvalidStateError'); }
        close() { this.readyState = 3; }
      };
      Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
      """;

  /** A proxy that refuses the upgrade: error and close right away. */
  static final String REFUSE_WEBSOCKETS = """
      window.WebSocket = class RefusedWebSocket {
        constructor(url) {
          this.url = url; this.readyState = 0; console.log('WebSocket refused: ' + url);
          setTimeout(() => {
            this.readyState = 3;
            if (this.onerror) this.onerror({ type: 'error' });
            if (this.onclose) this.onclose({ type: 'close', code: 1006, reason: '', wasClean: false });
          }, 0);
        }
        send() { throw new Error('InvalidStateError'); }
        close() {}
      };
      Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
      """;

  private Switchboard broker;

  // The broker lives in the test's Vert.x, which VertxExtension closes after each test.
  @BeforeEach
  void startBroker(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY));
  }

  @Test
  void unmodifiedPeerJs0324CallsOverXhrStreamingWhenWebSocketsStall() {
    NodeRun run = browserPeers()
        .page(legacyPage("A", "alice"))
        .page(legacyPage("B", "bob"))
        .run("data-and-media");
    assertCallCompleted(run);
  }

  @Test
  void addOnCallsOverXhrWhenWebSocketsAreRefused() {
    NodeRun run = browserPeers()
        .page(addOnPage("A", "alice", REFUSE_WEBSOCKETS))
        .page(addOnPage("B", "bob", REFUSE_WEBSOCKETS))
        .run("transports-data-and-media");
    for (String page : List.of("A", "B")) {
      JsonObject transport = transportOf(run, page);
      assertEquals("xhr-stream", transport.getString("transport"), transport.encode());
      assertTrue(firstFallback(transport).getString("reason").contains("before open"), transport.encode());
    }
    assertCallCompleted(run);
  }

  @Test
  void addOnCallsOverXhrWhenWebSocketsStall() {
    NodeRun run = browserPeers()
        .page(addOnPage("A", "alice", STALL_WEBSOCKETS))
        .page(addOnPage("B", "bob", STALL_WEBSOCKETS))
        .run("transports-data-and-media");
    for (String page : List.of("A", "B")) {
      JsonObject transport = transportOf(run, page);
      assertEquals("xhr-stream", transport.getString("transport"), transport.encode());
      assertTrue(firstFallback(transport).getString("reason").contains("not open after 3000 ms"), transport.encode());
    }
    assertCallCompleted(run);
  }

  @Test
  void addOnCallsOverLongPollingWhenConfiguredTo() {
    String pollOnly = "window.PeerXhrFallback = { transport: 'poll' };\n" + REFUSE_WEBSOCKETS;
    NodeRun run = browserPeers()
        .page(addOnPage("A", "alice", pollOnly))
        .page(addOnPage("B", "bob", pollOnly))
        .run("transports-data-and-media");
    for (String page : List.of("A", "B")) {
      assertEquals("xhr-poll", transportOf(run, page).getString("transport"));
    }
    assertCallCompleted(run);
  }

  @Test
  void addOnStaysOutOfTheWayWhenWebSocketsWork() {
    NodeRun run = browserPeers()
        .page(addOnPage("A", "alice", null))
        .page(addOnPage("B", "bob", null))
        .run("transports-data-and-media");
    for (String page : List.of("A", "B")) {
      JsonObject transport = transportOf(run, page);
      assertEquals("websocket", transport.getString("transport"), transport.encode());
      assertTrue(transport.getJsonArray("fallbacks").isEmpty(), transport.encode());
    }
    assertCallCompleted(run);
  }

  @Test
  void aWebSocketPeerAndAnXhrPeerCallEachOther() {
    NodeRun run = browserPeers()
        .page(addOnPage("A", "alice", null))
        .page(addOnPage("B", "bob", REFUSE_WEBSOCKETS))
        .run("transports-data-and-media");
    assertEquals("websocket", transportOf(run, "A").getString("transport"));
    assertEquals("xhr-stream", transportOf(run, "B").getString("transport"));
    assertCallCompleted(run);
  }

  private BrowserPeers browserPeers() {
    return BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY);
  }

  static JsonObject legacyPage(String name, String id) {
    return new JsonObject().put("name", name).put("peerjs", "0.3.24")
        .put("peer", peer(id, "token-" + id)).put("initScript", STALL_WEBSOCKETS);
  }

  static JsonObject addOnPage(String name, String id, String initScript) {
    JsonObject page = new JsonObject().put("name", name).put("peer", peer(id, "token-" + id))
        .put("scripts", new JsonArray().add(ADD_ON));
    return initScript == null ? page : page.put("initScript", initScript);
  }

  static JsonObject transportOf(NodeRun run, String page) {
    return run.jsonLines().stream()
        .filter(line -> "transport".equals(line.getString("step")) && page.equals(line.getString("page")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(run.describe("reported no transport for page " + page)));
  }

  private static JsonObject firstFallback(JsonObject transport) {
    JsonArray fallbacks = transport.getJsonArray("fallbacks");
    assertEquals(1, fallbacks.size(), transport.encode());
    return fallbacks.getJsonObject(0);
  }

  private static void assertCallCompleted(NodeRun run) {
    JsonObject echo = run.step("data-echo");
    assertEquals(echo.getString("sent"), echo.getString("echo"));
    assertEquals("alice", echo.getString("seenFrom"));
    JsonObject call = run.step("media-call");
    assertEquals("alice", call.getJsonObject("callee").getString("from"));
    for (String side : List.of("caller", "callee")) {
      JsonObject view = call.getJsonObject(side);
      for (String kind : List.of("audio", "video")) {
        assertTrue(view.getJsonArray("tracks").stream().map(JsonObject.class::cast)
            .anyMatch(t -> kind.equals(t.getString("kind")) && "live".equals(t.getString("readyState"))),
            side + " has no live " + kind + ": " + view.encode());
      }
      assertTrue(view.getJsonObject("frame").getInteger("width") > 0, side + " decoded no video: " + view.encode());
    }
  }
}

package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Unmodified PeerJS 1.5.5 in headless Chromium, signalling through an in-JVM broker. */
@ExtendWith(VertxExtension.class)
class PeerJsBrowserIT {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";

  private Switchboard broker;

  // The broker lives in the test's Vert.x, which VertxExtension closes after each test.
  @BeforeEach
  void startBroker(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY));
  }

  @Test
  void twoPagesExchangeDataAndAMediaCall() {
    NodeRun run = browserPeers()
        .page("A", peer("alice", "token-a"))
        .page("B", peer("bob", "token-b"))
        .run("data-and-media");

    JsonObject echo = run.step("data-echo");
    assertEquals(echo.getString("sent"), echo.getString("echo"));
    assertEquals("alice", echo.getString("seenFrom"), "B must see the connection come from A's id");

    JsonObject call = run.step("media-call");
    assertEquals("alice", call.getJsonObject("callee").getString("from"), "B must see the call come from A's id");
    assertLiveAudioAndVideo(call.getJsonObject("caller"));
    assertLiveAudioAndVideo(call.getJsonObject("callee"));
  }

  @Test
  void aThirdPageCannotTakeAnOpenIdWithAnotherToken() {
    NodeRun run = browserPeers()
        .page("A", peer("alice", "token-a"))
        .page("B", peer("bob", "token-b"))
        .page("C", peer("alice", "token-c"))
        .run("id-taken");

    assertEquals("unavailable-id", run.step("id-refused").getJsonObject("error").getString("type"));
    assertTrue(run.step("holder-still-open").getJsonObject("state").getBoolean("open"));
    // A still owns the id: B's answer to A's offer must reach A, not C.
    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
  }

  @Test
  void pagesWithoutAnIdAreGivenOneByTheBroker() {
    // PeerJS fetches {path}{key}/id cross-origin first (the pages are served from another port).
    NodeRun run = browserPeers()
        .page("A", peer(null, "token-a"))
        .page("B", peer(null, "token-b"))
        .run("data-and-media");

    String idOfA = run.jsonLines().stream()
        .filter(line -> "open".equals(line.getString("step")) && "A".equals(line.getString("page")))
        .findFirst().orElseThrow().getString("id");
    UUID.fromString(idOfA);
    assertEquals(idOfA, run.step("data-echo").getString("seenFrom"));
    assertEquals(idOfA, run.step("media-call").getJsonObject("callee").getString("from"));
  }

  private BrowserPeers browserPeers() {
    return BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY);
  }

  private static void assertLiveAudioAndVideo(JsonObject view) {
    for (String kind : new String[] {"audio", "video"}) {
      boolean live = view.getJsonArray("tracks").stream()
          .map(JsonObject.class::cast)
          .anyMatch(track -> kind.equals(track.getString("kind")) && "live".equals(track.getString("readyState")));
      assertTrue(live, "no live remote " + kind + " track in " + view.encode());
    }
    assertTrue(view.getJsonObject("frame").getInteger("width") > 0, "no remote video frame decoded: " + view.encode());
  }
}

package dev.switchboard.browser;

import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.NodeRun;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unmodified PeerJS 1.5.5 in headless Chromium, each page on a different node of a cluster. */
class ClusterBrowserIT {
  private static ClusterNodes cluster;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o).start(2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pagesOnDifferentNodesExchangeDataAndAMediaCall() {
    int first = cluster.node(0).port();
    int second = cluster.node(1).port();
    NodeRun run = BrowserPeers.against("127.0.0.1", first, "/", "peerjs")
        .pageOn(first, "A", peer("alice", "token-a"))
        .pageOn(second, "B", peer("bob", "token-b"))
        .run("data-and-media");

    JsonObject echo = run.step("data-echo");
    assertEquals(echo.getString("sent"), echo.getString("echo"));
    assertEquals("alice", echo.getString("seenFrom"));
    JsonObject call = run.step("media-call");
    assertEquals("alice", call.getJsonObject("callee").getString("from"));
    for (String side : new String[] {"caller", "callee"}) {
      JsonObject view = call.getJsonObject(side);
      for (String kind : new String[] {"audio", "video"}) {
        assertTrue(view.getJsonArray("tracks").stream().map(JsonObject.class::cast)
            .anyMatch(t -> kind.equals(t.getString("kind")) && "live".equals(t.getString("readyState"))),
            side + " has no live remote " + kind + ": " + view.encode());
      }
    }
  }

  @Test
  void anIdOpenOnOneNodeIsUnavailableOnTheOther() {
    int first = cluster.node(0).port();
    int second = cluster.node(1).port();
    NodeRun run = BrowserPeers.against("127.0.0.1", first, "/", "peerjs")
        .pageOn(first, "A", peer("carol", "token-a"))
        .pageOn(second, "B", peer("dave", "token-b"))
        .pageOn(second, "C", peer("carol", "token-c"))
        .run("id-taken");
    assertEquals("unavailable-id", run.step("id-refused").getJsonObject("error").getString("type"));
    assertEquals("carol", run.step("data-echo").getString("seenFrom"));
  }
}

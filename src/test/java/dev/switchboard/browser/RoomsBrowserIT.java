package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rooms through {@code peerjs-patches/switchboard.js} in headless Chromium with unmodified PeerJS 1.5.5
 * (see {@code rooms-scenario.mjs}): a room of two seats refuses the third page with {@code full}, and a
 * room of three joined with {@code {mesh: true}} connects every pair of pages with an open DataConnection
 * that carries messages, with no signalling code in the pages.
 */
@ExtendWith(VertxExtension.class)
class RoomsBrowserIT {
  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";
  private static final JsonArray SCRIPTS = new JsonArray()
      .add("../../../peerjs-patches/switchboard.js")
      .add("rooms-harness.js");

  @Test
  void aFullRoomRefusesTheThirdPageAndAMeshRoomConnectsEveryPair(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY));

    NodeRun run = BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY)
        .page(page("A", "ann"))
        .page(page("B", "ben"))
        .page(page("C", "cat"))
        .timeout(Duration.ofSeconds(45))
        .run("rooms");

    JsonObject seats = run.step("two-seats");
    assertEquals("full", seats.getJsonObject("third").getString("error"), seats.encode());
    assertEquals(new JsonArray().add("ann"), seats.getJsonObject("second").getJsonArray("members"));
    JsonObject mesh = run.step("mesh");
    assertEquals(new JsonArray().add("ben").add("cat"), mesh.getJsonObject("A").getJsonArray("connectedTo"), mesh.encode());
    assertEquals(new JsonArray().add("ann").add("cat"), mesh.getJsonObject("B").getJsonArray("heardFrom"), mesh.encode());
    assertEquals(new JsonArray().add("hello from ann").add("hello from ben"),
        mesh.getJsonObject("C").getJsonArray("messages"), mesh.encode());
    assertEquals(new JsonArray().add("ann").add("ben"), mesh.getJsonObject("C").getJsonArray("connectedTo"), mesh.encode());
  }

  private static JsonObject page(String name, String id) {
    return new JsonObject().put("name", name).put("peer", peer(id, "token-" + id)).put("scripts", SCRIPTS.copy());
  }
}

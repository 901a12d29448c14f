package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls through {@code peerjs-patches/switchboard.js} in headless Chromium with unmodified PeerJS 1.5.5,
 * against a broker with {@code --auth jwt --id_policy device}: alice calls bob, whose phone and laptop
 * both ring. One browser and three pages run every case in turn (see {@code calls-scenario.mjs}):
 * one device accepts and media flows to it while the other is answered elsewhere; hang-up; a PeerJS
 * reconnect; decline; busy on every device; cancel; missed after the shortest ring; and the accepting
 * device's tab closed mid-call, which ends the call for the caller once the reconnect grace is over.
 */
@ExtendWith(VertxExtension.class)
class CallsBrowserIT {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";
  private static final long GRACE_MS = 1000;
  private static final JsonArray SCRIPTS = new JsonArray()
      .add("../../../peerjs-patches/switchboard.js")
      .add("calls-harness.js");

  @Test
  void aCallRingsEveryDeviceAndEndsForEveryReason(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY)
        .setAuth("jwt").setJwtSecret(SECRET).setIdPolicy("device")
        .setReconnectGrace(GRACE_MS));

    NodeRun run = BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY)
        .page(page("A", "alice", "alice"))
        .page(page("B1", "bob-phone", "bob"))
        .page(page("B2", "bob-laptop", "bob"))
        .with("calls", new JsonObject().put("caller", "alice").put("callee", "bob").put("graceMs", GRACE_MS))
        .timeout(Duration.ofSeconds(60))
        .run("calls");

    JsonObject answered = run.step("ring-both-accept-one");
    assertEquals(2, answered.getInteger("devices"), answered.encode());
    assertEquals("bob-phone", answered.getString("acceptedBy"));
    assertEquals("answered_elsewhere", answered.getString("elsewhere"));
    assertTrue(answered.getJsonObject("atAcceptor").getInteger("framesDecoded") > 0, answered.encode());
    assertTrue(answered.getJsonObject("atCaller").getInteger("framesDecoded") > 0, answered.encode());
    assertEquals("hangup", run.step("hangup").getJsonArray("acceptor").getString(0));
    assertEquals("declined", run.step("decline").getString("caller"));
    assertEquals("rejected_elsewhere", run.step("decline").getString("otherDevice"));
    assertEquals("busy", run.step("busy").getString("caller"));
    assertEquals(new JsonArray().add("cancelled").add("cancelled"), run.step("cancel").getJsonArray("devices"));
    assertEquals(new JsonArray().add("missed").add("missed"), run.step("missed").getJsonArray("devices"));
    JsonObject closed = run.step("tab-closed");
    assertEquals("remote_disconnected", closed.getString("reason"));
    assertTrue(closed.getLong("afterCloseMs") >= GRACE_MS, closed.encode());
    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
  }

  private static JsonObject page(String name, String id, String user) {
    return new JsonObject().put("name", name)
        .put("peer", peer(id, Tokens.hs256(SECRET, claims(user))))
        .put("scripts", SCRIPTS.copy());
  }
}

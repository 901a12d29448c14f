package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.presence.PresenceSettings;
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
 * Presence through {@code peerjs-patches/switchboard.js} in headless Chromium with unmodified PeerJS
 * 1.5.5, against a broker with {@code --auth jwt} and contacts from a JWT claim: wendy has alice as a
 * contact and watches her; alice calls bob (busy, then online after the hang-up), sets away with a note,
 * and closes her tab (offline, with no devices, only once the reconnect grace is over). See
 * {@code presence-scenario.mjs}.
 */
@ExtendWith(VertxExtension.class)
class PresenceBrowserIT {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";
  private static final long GRACE_MS = 1000;
  private static final JsonArray SCRIPTS = new JsonArray()
      .add("../../../peerjs-patches/switchboard.js")
      .add("calls-harness.js")
      .add("presence-harness.js");

  @Test
  void aWatcherSeesBusyDuringACallAwayAndOfflineAfterTheTabCloses(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY)
        .setAuth("jwt").setJwtSecret(SECRET).set(PresenceSettings.JWT_CONTACTS_CLAIM, "contacts")
        .setReconnectGrace(GRACE_MS));

    NodeRun run = BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY)
        .page(page("W", "wendy", claims("wendy").put("contacts", new JsonArray().add("alice"))))
        .page(page("A", "alice", claims("alice")))
        .page(page("B", "bob", claims("bob")))
        .with("presence", new JsonObject().put("watched", "alice").put("other", "bob").put("graceMs", GRACE_MS))
        .timeout(Duration.ofSeconds(60))
        .run("presence");

    JsonObject snapshot = run.step("watch").getJsonObject("snapshot");
    assertEquals(new JsonObject().put("status", "online").put("note", null).put("devices", 1),
        snapshot.getJsonObject("alice"), snapshot::encode);
    // "nobody-known" is neither a contact nor a room mate: absent, as an unknown user would be.
    assertFalse(snapshot.containsKey("nobody-known"), snapshot::encode);
    JsonObject busy = run.step("busy");
    assertTrue(busy.getLong("busyAfterMs") >= 0, busy.encode());
    assertEquals("lunch", run.step("away").getString("note"));
    JsonObject offline = run.step("offline");
    assertEquals(0, offline.getInteger("devices"));
    assertTrue(offline.getLong("afterCloseMs") >= GRACE_MS, offline.encode());
  }

  private static JsonObject page(String name, String id, JsonObject claims) {
    return new JsonObject().put("name", name)
        .put("peer", peer(id, Tokens.hs256(SECRET, claims)))
        .put("scripts", SCRIPTS.copy());
  }
}

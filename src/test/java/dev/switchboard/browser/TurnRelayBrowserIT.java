package dev.switchboard.browser;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.Coturn;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.Tokens;
import dev.switchboard.turn.TurnSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.switchboard.support.BrowserPeers.peer;
import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TURN credentials from the broker, proven against a real coturn (Debian's turnserver on loopback,
 * {@code use-auth-secret} with two secrets): two unmodified PeerJS 1.5.5 pages in Chromium with
 * {@code iceTransportPolicy: "relay"} get their credentials by {@code GET /ice} before {@code new Peer}
 * and by ICE-SERVERS frames through {@code peerjs-patches/switchboard.js}, then open a data connection
 * and a media call whose selected candidate pair is a relay (getStats). An expired credential and one
 * signed with a secret coturn does not hold gather no relay candidate; a broker that rotated to coturn's
 * second secret still connects calls. See {@code turn-scenario.mjs} for the steps.
 */
@ExtendWith(VertxExtension.class)
class TurnRelayBrowserIT {
  private static final String OLD = "old-turn-secret-0123456789";
  private static final String NEW = "new-turn-secret-9876543210";
  private static final String FOREIGN = "secret-coturn-never-heard-of";
  private static final long TTL = 600;
  private static final JsonArray SCRIPTS = new JsonArray().add("../../../peerjs-patches/switchboard.js").add("turn-harness.js");

  @Test
  void callsAreRelayedThroughCoturnWithTheBrokersCredentials(Vertx vertx) throws Exception {
    try (Coturn coturn = Coturn.start(List.of(OLD, NEW))) {
      List<String> uris = List.of("turn:127.0.0.1:" + coturn.port() + "?transport=udp");
      Switchboard main = Brokers.start(vertx, turn(jwt(), uris, OLD));
      // Two ttls behind: every credential it signs expired before it was handed out.
      Switchboard expired = Brokers.start(vertx, turn(anonymous(), uris, OLD),
          Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-2 * TTL)));
      Switchboard foreign = Brokers.start(vertx, turn(anonymous(), uris, FOREIGN));
      Switchboard rotated = Brokers.start(vertx, turn(jwt(), uris, NEW, OLD));

      NodeRun run;
      try {
        run = BrowserPeers.against("127.0.0.1", main.actualPort(), "/", "peerjs")
            .page(page("A", "alice"))
            .page(page("B", "bob"))
            .with("turn", new JsonObject().put("ports", new JsonObject().put("main", main.actualPort())
                .put("expired", expired.actualPort()).put("foreign", foreign.actualPort()).put("rotated", rotated.actualPort())))
            .timeout(Duration.ofSeconds(90))
            .run("turn");
      } catch (AssertionError failed) {
        throw new AssertionError(failed.getMessage() + "\n--- coturn ---\n" + coturn.log(), failed);
      }

      JsonObject data = run.step("http-data");
      assertEquals("relay", data.getJsonObject("pair").getString("local"), data.encode());
      assertEquals("relay", run.step("http-media").getJsonObject("pair").getString("local"));
      assertTrue(run.step("http-media").getJsonObject("frame").getInteger("width") > 0);
      assertEquals("relay", run.step("push-data").getJsonObject("pair").getString("local"));
      assertEquals("relay", run.step("push-media").getJsonObject("pair").getString("local"));
      assertTrue(run.step("gather-valid").getJsonArray("types").contains("relay"));
      assertTrue(run.step("gather-expired").getJsonArray("types").isEmpty(), run.step("gather-expired").encode());
      assertTrue(run.step("gather-foreign").getJsonArray("types").isEmpty(), run.step("gather-foreign").encode());
      assertEquals("relay", run.step("rotated-data").getJsonObject("pair").getString("local"));
      assertEquals("relay", run.step("rotated-media").getJsonObject("pair").getString("local"));
      System.out.printf("TURN relay on loopback: PeerJS open -> open relayed data connection %d ms (GET /ice), "
              + "%d ms (ICE-SERVERS push), %d ms (rotated secret); coturn: %s%n",
          data.getLong("openToConnectedMs"), run.step("push-data").getLong("openToConnectedMs"),
          run.step("rotated-data").getLong("openToConnectedMs"), coturn.settings());
    }
  }

  private static SwitchboardOptions jwt() {
    return Brokers.options().setAuth("jwt").setJwtSecret(SECRET);
  }

  private static SwitchboardOptions anonymous() {
    return Brokers.options().set(TurnSettings.TURN_ALLOW_ANONYMOUS, true);
  }

  private static SwitchboardOptions turn(SwitchboardOptions options, List<String> uris, String... secrets) {
    return options.set(TurnSettings.TURN_URIS, uris).set(TurnSettings.TURN_SECRET, List.of(secrets))
        .set(TurnSettings.TURN_TTL, TTL);
  }

  private static JsonObject page(String name, String user) {
    return new JsonObject().put("name", name).put("peer", peer(user, Tokens.hs256(SECRET, claims(user))))
        .put("scripts", SCRIPTS.copy());
  }
}

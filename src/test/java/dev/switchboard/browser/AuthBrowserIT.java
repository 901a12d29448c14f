package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Unmodified PeerJS 1.5.5 in headless Chromium against a broker with {@code --auth jwt}: tokens given
 * with PeerJS's {@code token} option (or the subprotocol patch) open the users' ids and carry data and
 * media; a page with another user's token cannot take their ids.
 */
@ExtendWith(VertxExtension.class)
class AuthBrowserIT {

  private static final String HOST = "127.0.0.1";
  private static final String PATH = "/";
  private static final String KEY = "peerjs";

  private static final String TOKEN_ADD_ON = "../../../peerjs-patches/websocket-token.js";

  private Switchboard broker;

  // The broker lives in the test's Vert.x, which VertxExtension closes after each test.
  @BeforeEach
  void startBroker(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().setHost(HOST).setPath(PATH).setKey(KEY)
        .setAuth("jwt").setJwtSecret(SECRET));
  }

  private static String jwt(String user) {
    return Tokens.hs256(SECRET, claims(user));
  }

  @Test
  void tokensGivenWithPeerJsTokenOptionCarryDataAndMedia() {
    NodeRun run = browserPeers()
        .page("A", peer("alice", jwt("alice")))
        .page("B", peer("bob", jwt("bob")))
        .run("data-and-media");

    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
    JsonObject call = run.step("media-call");
    assertEquals("alice", call.getJsonObject("callee").getString("from"));
    assertTrue(call.getJsonObject("callee").getJsonObject("frame").getInteger("width") > 0, call.encode());
  }

  @Test
  void aPageWithAnotherUsersTokenCannotTakeTheirId() {
    NodeRun run = browserPeers()
        .page("A", peer("alice", jwt("alice")))
        .page("B", peer("bob", jwt("bob")))
        .page(new JsonObject().put("name", "C").put("peer", peer("alice", jwt("mallory")))
            .put("expectError", new JsonObject().put("type", "server-error").put("message", ErrorText.ID_NOT_ALLOWED)))
        .run("impostor");

    assertEquals(ErrorText.ID_NOT_ALLOWED, run.step("impostor-refused").getJsonObject("error").getString("message"));
    // A still owns the id: B's connection to "alice" reaches A, not C.
    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
  }

  @Test
  void aPageWithoutAValidTokenCannotTakeAnId() {
    // PeerJS's default token is random: with auth on it proves nothing.
    NodeRun run = browserPeers()
        .page("A", peer("alice", jwt("alice")))
        .page("B", peer("bob", jwt("bob")))
        .page(new JsonObject().put("name", "C").put("peer", new JsonObject().put("id", "bob"))
            .put("expectError", new JsonObject().put("type", "server-error").put("message", ErrorText.INVALID_TOKEN)))
        .run("impostor");

    assertEquals(ErrorText.INVALID_TOKEN, run.step("impostor-refused").getJsonObject("error").getString("message"));
  }

  @Test
  void theSubprotocolPatchCarriesTheTokenOutsideTheUrl() {
    // PeerJS keeps its random token in the URL; the JWT travels in Sec-WebSocket-Protocol.
    NodeRun run = browserPeers()
        .page(patched("A", "alice", jwt("alice")))
        .page(patched("B", "bob", jwt("bob")))
        .run("data-and-media");

    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
  }

  @Test
  void bothAddOnsCarryTheTokenOverXhrWhenTheWebSocketIsRefused() {
    // The two add-ons in both load orders: each page's XHR session must present the user's token.
    NodeRun run = browserPeers()
        .page(bothAddOns("A", "alice", jwt("alice"), TOKEN_ADD_ON, XhrFallbackBrowserIT.ADD_ON))
        .page(bothAddOns("B", "bob", jwt("bob"), XhrFallbackBrowserIT.ADD_ON, TOKEN_ADD_ON))
        .run("transports-data-and-media");

    for (String page : new String[] {"A", "B"}) {
      JsonObject transport = XhrFallbackBrowserIT.transportOf(run, page);
      // Streamed or long-polled (a stream slow to show its first line on a busy machine switches to
      // polls): either way an XHR session the broker admitted with the user's token.
      assertTrue(transport.getString("transport").startsWith("xhr-"), transport.encode());
    }
    assertEquals("alice", run.step("data-echo").getString("seenFrom"));
    assertEquals("alice", run.step("media-call").getJsonObject("callee").getString("from"));
  }

  private static JsonObject bothAddOns(String name, String id, String token, String first, String second) {
    return new JsonObject().put("name", name)
        .put("peer", new JsonObject().put("id", id))
        .put("scripts", new io.vertx.core.json.JsonArray().add(first).add(second))
        .put("initScript", XhrFallbackBrowserIT.REFUSE_WEBSOCKETS
            + "addEventListener('DOMContentLoaded', () => SwitchboardToken.use('" + token + "'));");
  }

  private static JsonObject patched(String name, String id, String token) {
    return new JsonObject().put("name", name)
        .put("peer", new JsonObject().put("id", id))
        .put("scripts", new io.vertx.core.json.JsonArray().add(TOKEN_ADD_ON))
        // Runs before any page script; by DOMContentLoaded the patch is loaded and PeerJS not yet started.
        .put("initScript", "addEventListener('DOMContentLoaded', () => SwitchboardToken.use('" + token + "'));");
  }

  private BrowserPeers browserPeers() {
    return BrowserPeers.against(HOST, broker.actualPort(), PATH, KEY);
  }
}

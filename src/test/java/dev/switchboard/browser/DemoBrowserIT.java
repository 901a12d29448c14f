package dev.switchboard.browser;

import static dev.switchboard.demo.DemoSettings.DEMO;
import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.NodeScript;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code --demo} page itself, as a newcomer uses it: a broker with its defaults plus {@code --demo}, and
 * two tabs of headless Chromium (fake camera) on {@code /demo/} driven by {@code demo-tabs.mjs} through the
 * page's own buttons. Both sign in and see each other online; a third tab asking for a taken name is told so;
 * both join a room and list each other; alice calls bob, bob's tab rings, he accepts, each sees the other
 * busy, video frames decode in both tabs; a screenshot is taken mid-call; alice hangs up and both are idle
 * and online again, with no error shown. Under {@code --auth jwt} the page asks for a token, shows a refused one
 * in words and signs in with a valid one.
 *
 * <p>The screenshot goes to {@code target/demo.png}, or to the file named by the system property
 * {@code switchboard.demo.screenshot} — how {@code docs/images/demo.png}, which the README shows, is made
 * (docs/demo.md).
 */
@ExtendWith(VertxExtension.class)
class DemoBrowserIT {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int SCREEN_WIDTH = 900;

  @Test
  void twoTabsSeeEachOtherCallAndShareARoom(Vertx vertx) throws IOException {
    Switchboard broker = Brokers.start(vertx, Brokers.options().set(DEMO, true));
    Path screenshot = Path.of(System.getProperty("switchboard.demo.screenshot",
        Path.of(System.getProperty("switchboard.basedir", "."), "target", "demo.png").toString())).toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);

    JsonObject spec = new JsonObject()
        .put("url", "http://127.0.0.1:" + broker.actualPort() + "/demo/")
        .put("names", new JsonArray().add("alice").add("bob"))
        .put("room", "standup")
        .put("screenshot", screenshot.toString())
        .put("timeoutMs", 90_000);
    NodeRun run = NodeScript.run("demo-tabs.mjs", spec, Duration.ofSeconds(120));
    System.out.print(run.stdout());
    JsonObject last = run.jsonLines().get(run.jsonLines().size() - 1);
    assertEquals("pass", last.getString("result"), run.describe("did not pass"));

    assertEquals("The name \"alice\" is taken: pick another.", run.step("name-taken").getString("shown"));
    assertEquals("In room standup with:", run.step("room").getString("atA"));
    JsonObject call = run.step("call");
    assertTrue(call.getString("ringer").startsWith("alice is calling."), call.encode());
    assertEquals("In a call with bob.", call.getString("atA"));
    assertEquals("In a call with alice.", call.getString("atB"));
    JsonObject media = run.step("media");
    for (String tab : new String[] {"atA", "atB"}) {
      JsonObject seen = media.getJsonObject(tab);
      assertTrue(seen.getInteger("frames") > 0 && seen.getInteger("width") > 0, media.encode());
      assertEquals(1, seen.getInteger("audioTracks"), media.encode());
    }
    JsonObject hangup = run.step("hangup");
    assertEquals("Call ended: you hung up.", hangup.getString("atA"));
    assertEquals("Call ended: alice hung up.", hangup.getString("atB"));
    run.step("no-errors");

    byte[] png = Files.readAllBytes(screenshot);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length), screenshot + " is not a PNG");
    assertEquals(SCREEN_WIDTH, ByteBuffer.wrap(png, 16, 4).getInt(), "screenshot width");
  }

  /** Under {@code --auth jwt} the page asks for a token, shows the broker's refusal in words, then signs in. */
  @Test
  void underAuthThePageTakesATokenAndShowsARefusal(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(SECRET).set(DEMO, true));
    JsonObject spec = new JsonObject()
        .put("url", "http://127.0.0.1:" + broker.actualPort() + "/demo/")
        .put("names", new JsonArray().add("alice").add("bob"))
        .put("tokens", new JsonObject().put("alice", Tokens.hs256(SECRET, claims("alice")))
            .put("bob", Tokens.hs256(SECRET, claims("bob"))))
        .put("badToken", Tokens.hs256("another-secret-that-is-long-enough-for-hs256", claims("alice")))
        .put("timeoutMs", 60_000);
    NodeRun run = NodeScript.run("demo-tabs.mjs", spec, Duration.ofSeconds(90));
    System.out.print(run.stdout());
    assertEquals("pass", run.jsonLines().get(run.jsonLines().size() - 1).getString("result"), run.describe("did not pass"));
    assertEquals("The broker refused: Invalid token provided", run.step("token-refused").getString("shown"));
    run.step("online");
  }
}

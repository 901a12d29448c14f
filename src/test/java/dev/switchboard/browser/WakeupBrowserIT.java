package dev.switchboard.browser;

import static dev.switchboard.support.BrowserPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import dev.switchboard.support.WebhookReceiver;
import dev.switchboard.support.WebhookReceiver.Hit;
import dev.switchboard.support.WebhookReceiver.Reply;
import dev.switchboard.webhooks.WebhookSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The wake-up of an offline callee in headless Chromium with unmodified PeerJS 1.5.5 and
 * {@code peerjs-patches/switchboard.js}: alice calls bob, who has no page at all; the broker holds the
 * call and posts {@code callee.wakeup} to a real receiver (standing in for the app's push service); only
 * once the receiver has it does the driver open bob's page, which rings right after OPEN, accepts, and
 * media flows both ways (see {@code wakeup-scenario.mjs}).
 */
@ExtendWith(VertxExtension.class)
class WakeupBrowserIT {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final JsonArray SCRIPTS = new JsonArray()
      .add("../../../peerjs-patches/switchboard.js")
      .add("calls-harness.js");

  @Test
  void anOfflineCalleeIsWokenRingsAcceptsAndMediaFlows(Vertx vertx) {
    WebhookReceiver receiver = WebhookReceiver.start(vertx, SECRET)
        .answerWith(body -> "callee.wakeup".equals(body.getString("type")) ? Reply.json("{\"pushed\":true}") : Reply.ok());
    Switchboard broker = Brokers.start(vertx, Brokers.options().setHost("127.0.0.1")
        .set(WebhookSettings.WEBHOOK_URL, List.of(receiver.url()))
        .set(WebhookSettings.WEBHOOK_SECRET, List.of(SECRET)));
    try {
      NodeRun run = BrowserPeers.against("127.0.0.1", broker.actualPort(), "/", "peerjs")
          .page(new JsonObject().put("name", "A").put("peer", peer("alice", "token-a")).put("scripts", SCRIPTS.copy()))
          .page(new JsonObject().put("name", "B").put("peer", peer("bob", "token-b")).put("scripts", SCRIPTS.copy())
              .put("deferred", true))
          .with("wakeup", new JsonObject().put("callee", "bob").put("receiver", receiver.receivedUrl()))
          .timeout(Duration.ofSeconds(60))
          .run("wakeup");

      assertEquals(true, run.step("invite-offline").getBoolean("woken"));
      assertEquals("bob", run.step("wakeup-received").getJsonObject("data").getString("user"));
      assertEquals("alice", run.step("callee-wakes").getString("from"));
      JsonObject media = run.step("accept-and-media");
      assertEquals("bob", media.getString("acceptedBy"));
      assertTrue(media.getJsonObject("atCaller").getInteger("framesDecoded") > 0, media.encode());
      assertTrue(media.getJsonObject("atCallee").getInteger("framesDecoded") > 0, media.encode());
      assertEquals("hangup", run.step("hangup").getString("callee"));
      // The receiver saw the whole call, in order, every request signed (WebhookReceiver checks each).
      dev.switchboard.support.Await.until("call.ended delivered",
          () -> receiver.delivered().stream().anyMatch(h -> "call.ended".equals(h.type())), 10);
      List<String> callEvents = receiver.delivered().stream().map(Hit::type)
          .filter(t -> List.of("call.invited", "call.answered", "call.ended").contains(t)).toList();
      assertEquals(List.of("call.invited", "call.answered", "call.ended"), callEvents);
      assertEquals(1, receiver.delivered().stream().filter(h -> "callee.wakeup".equals(h.type())).count());
      assertEquals(List.of(), receiver.problems());
    } finally {
      dev.switchboard.support.Await.result(broker.close());
      receiver.close();
    }
  }
}

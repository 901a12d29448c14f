package dev.switchboard.browser;

import static dev.switchboard.browser.XhrFallbackBrowserIT.REFUSE_WEBSOCKETS;
import static dev.switchboard.browser.XhrFallbackBrowserIT.STALL_WEBSOCKETS;
import static dev.switchboard.browser.XhrFallbackBrowserIT.addOnPage;
import static dev.switchboard.browser.XhrFallbackBrowserIT.transportOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures, in headless Chromium with PeerJS 1.5.5 and the add-on, how long a page takes to open when
 * its WebSocket is refused or stalls, and a relayed message's round trip over WebSocket, XHR streaming
 * and long-polling (loopback). Prints the figures quoted in docs/xhr.md; fails if a transport stalls.
 */
@ExtendWith(VertxExtension.class)
class XhrLatencyIT {

  @Test
  void fallbackTimeAndRoundTripPerTransport(Vertx vertx) {
    Switchboard broker = dev.switchboard.support.Await.result(Switchboard.start(vertx,
        new SwitchboardOptions().setHost("127.0.0.1").setPort(0)));
    try {
      NodeRun run = BrowserPeers.against("127.0.0.1", broker.actualPort(), "/", "peerjs")
          .page(addOnPage("ws", "viaws", null))
          .page(addOnPage("stream", "viastream", REFUSE_WEBSOCKETS))
          .page(addOnPage("poll", "viapoll", "window.PeerXhrFallback = { transport: 'poll' };\n" + REFUSE_WEBSOCKETS))
          .page(addOnPage("stalled", "viastall", STALL_WEBSOCKETS))
          .run("latency");
      StringBuilder table = new StringBuilder("\nXHR fallback figures (loopback, headless Chromium, PeerJS 1.5.5 + add-on)\n");
      for (String page : List.of("ws", "stream", "poll", "stalled")) {
        JsonObject open = step(run, "open", page);
        JsonObject latency = step(run, "latency", page);
        JsonObject transport = transportOf(run, page);
        table.append(String.format("  %-8s transport %-10s open after %5d ms   round trip median %6.1f ms, p90 %6.1f ms%n",
            page, transport.getString("transport"), open.getInteger("ms"),
            latency.getDouble("medianMs"), latency.getDouble("p90Ms")));
        assertTrue(latency.getDouble("medianMs") < 500, page + " round trip too slow: " + latency.encode());
      }
      System.out.print(table);
      assertEquals("websocket", transportOf(run, "ws").getString("transport"));
      assertEquals("xhr-poll", transportOf(run, "poll").getString("transport"));
    } finally {
      dev.switchboard.support.Await.result(broker.close());
    }
  }

  private static JsonObject step(NodeRun run, String name, String page) {
    return run.jsonLines().stream()
        .filter(line -> name.equals(line.getString("step")) && page.equals(line.getString("page")) && Boolean.TRUE.equals(line.getBoolean("ok")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(run.describe("no " + name + " for " + page)));
  }
}

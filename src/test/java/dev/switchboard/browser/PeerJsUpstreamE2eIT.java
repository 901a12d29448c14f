package dev.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.support.BrokerProcess;
import dev.switchboard.support.BrowserPeers;
import dev.switchboard.support.NodeRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PeerJS 1.5.5's own end-to-end suite ({@code e2e/} of peers/peerjs at v1.5.5), every scenario of it,
 * rewritten for our harness ({@code src/test/js/peerjs-e2e.js}) and run in headless Chromium against the
 * packaged jar, as PeerServer 1.0.2 passes it:
 * <ul>
 *   <li>peer/id-taken: ten Peers asking for an open id all get {@code unavailable-id};</li>
 *   <li>peer/server-unavailable: a broker that does not answer gives {@code server-error};</li>
 *   <li>peer/disconnected: {@code connect()} after {@code disconnect()} gives {@code disconnected};</li>
 *   <li>mediachannel/close: the callee hangs up and both sides see the call close;</li>
 *   <li>datachannel/serialization_{binary,json,msgpack}: each data set crosses a data connection intact.</li>
 * </ul>
 * All in one Chromium run with two pages, as upstream's Alice and Bob windows.
 */
class PeerJsUpstreamE2eIT {
  private static final String HOST = "127.0.0.1";
  private static final String SCRIPT = "peerjs-e2e.js";

  @Test
  void peerJsOwnEndToEndSuitePasses() throws IOException {
    try (BrokerProcess broker = BrokerProcess.start("broker", "--host", HOST, "--port", "0")) {
      NodeRun run = BrowserPeers.against(HOST, broker.port(), "/", "peerjs")
          .page(page("Alice"))
          .page(page("Bob"))
          .with("closedPort", closedPort())
          .timeout(Duration.ofSeconds(90))
          .run("peerjs-e2e");

      assertEquals(List.of("unavailable-id"), run.step("e2e-id-taken").getJsonArray("outcomes").stream()
          .distinct().toList());
      assertEquals("server-error", run.step("e2e-server-unavailable").getJsonObject("error").getString("type"));
      assertEquals("disconnected", run.step("e2e-disconnected").getJsonObject("error").getString("type"));
      assertEquals(Boolean.TRUE, run.step("e2e-media-close").getJsonObject("caller").getBoolean("closed"));
      List<String> transferred = run.jsonLines().stream()
          .filter(line -> "e2e-serialization".equals(line.getString("step")) && Boolean.TRUE.equals(line.getBoolean("ok")))
          .map(line -> line.getString("label")).toList();
      assertEquals(12 + 5 + 9, transferred.size(), transferred.toString());
    }
  }

  private static JsonObject page(String name) {
    return new JsonObject().put("name", name).put("peer", new JsonObject()).put("scripts", new JsonArray().add(SCRIPT));
  }

  // A port that was free a moment ago: connections to it are refused.
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}

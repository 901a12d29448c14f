package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.SessionService;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With auth on, identity look-ups show in /metrics, and a session service that fails makes /ready false. */
@ExtendWith(VertxExtension.class)
class AuthBackendHealthTest {

  private static double lookups(String scrape, String result) {
    Matcher m = Pattern.compile("(?m)^switchboard_auth_lookups_total\\{result=\"" + result + "\"[^}]*} ([0-9.eE+-]+)$")
        .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void lookupsAreCountedByResultAndAFailingBackendTakesTheBrokerOutOfRotation(Vertx vertx) {
    SessionService service = SessionService.start(vertx).user("s-alice", "alice");
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().setAuth("session")
        .setSessionUrl(service.url()).setSessionTimeout(1_000), SwitchboardMetrics.prometheus()));
    int port = broker.actualPort();
    assertEquals(200, HealthAndDrainTest.get(vertx, port, "/ready").status());

    try (TestPeer first = TestPeer.connect(vertx, port, "alice", "s-alice")) {
      first.expectType("OPEN");
    }
    try (TestPeer again = TestPeer.openWhenFree(vertx, port, "alice", "s-alice");
         TestPeer impostor = TestPeer.connect(vertx, port, "bob", "not-a-session")) {
      impostor.expectError(ErrorText.INVALID_TOKEN);
    }
    String scrape = HealthAndDrainTest.get(vertx, port, "/metrics").body();
    assertEquals(1, lookups(scrape, "miss"), scrape);
    assertTrue(lookups(scrape, "hit") >= 1, scrape);
    assertEquals(1, lookups(scrape, "refused"), scrape);

    service.fail(502);
    try (TestPeer unlucky = TestPeer.connect(vertx, port, "carol", "s-carol")) {
      unlucky.expectError(ErrorText.AUTH_UNAVAILABLE);
    }
    assertEquals(503, HealthAndDrainTest.get(vertx, port, "/ready").status());
    assertEquals(200, HealthAndDrainTest.get(vertx, port, "/health").status());
    assertEquals(1, lookups(HealthAndDrainTest.get(vertx, port, "/metrics").body(), "failure"));

    // The service is back: the next successful look-up puts the broker back in rotation.
    service.answer().user("s-carol", "carol");
    try (TestPeer carol = TestPeer.connect(vertx, port, "carol", "s-carol")) {
      carol.expectType("OPEN");
    }
    assertEquals(200, HealthAndDrainTest.get(vertx, port, "/ready").status());
    service.close();
  }
}

package dev.switchboard.auth;

import dev.switchboard.support.Brokers;
import dev.switchboard.support.SessionService;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every log record written at any level while tokens are accepted, refused and left unverified contains
 * none of the tokens (nor their signatures), and neither does what the client is told.
 */
@ExtendWith(VertxExtension.class)
class NoTokenLeakTest {
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      StringWriter text = new StringWriter();
      text.append(String.valueOf(record.getMessage()));
      if (record.getParameters() != null) {
        for (Object parameter : record.getParameters()) {
          text.append(' ').append(String.valueOf(parameter));
        }
      }
      if (record.getThrown() != null) {
        record.getThrown().printStackTrace(new PrintWriter(text));
      }
      logged.add(text.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private final Logger root = Logger.getLogger("");
  private Level previous;

  @BeforeEach
  void captureEverything() {
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    Logger.getLogger("dev.switchboard").setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void restore() {
    root.removeHandler(capture);
    root.setLevel(previous);
    Logger.getLogger("dev.switchboard").setLevel(null);
  }

  private void assertNotLogged(List<String> tokens) {
    // The refusals themselves must have been logged (at FINE), or the test would prove nothing.
    assertTrue(logged.stream().anyMatch(line -> line.startsWith("refused")), "no refusal was logged: " + logged);
    for (String token : tokens) {
      String secretPart = token.contains(".") ? token.substring(token.lastIndexOf('.') + 1) : token;
      for (String line : logged) {
        assertFalse(line.contains(token), "token logged: " + line);
        if (secretPart.length() >= 8) {
          assertFalse(line.contains(secretPart), "signature logged: " + line);
        }
      }
    }
  }

  private static void refused(TestPeer peer) {
    String text = peer.nextText();
    assertTrue(text.contains("\"ERROR\"") || text.contains("ID-TAKEN"), text);
    peer.awaitClose();
  }

  @Test
  void jwtRefusalsAndTakeoversLogNoToken(Vertx vertx) {
    int port = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(SECRET)).actualPort();
    String good = Tokens.hs256(SECRET, claims("alice"));
    String expired = Tokens.hs256(SECRET, claims("alice").put("exp", Tokens.now(-60)));
    String forged = Tokens.hs256("forged-forged-forged-forged-forged-forged", claims("alice"));
    String garbage = "not-a-jwt-but-a-secret-session-value";
    String mallory = Tokens.hs256(SECRET, claims("mallory"));
    try (TestPeer alice = TestPeer.connect(vertx, port, "alice", good)) {
      alice.expectType("OPEN");
      for (String token : List.of(expired, forged, garbage, mallory)) {
        try (TestPeer peer = TestPeer.connect(vertx, port, "alice", token)) {
          String text = peer.nextText();
          assertFalse(text.contains(token), text);
          peer.awaitClose();
        }
      }
      try (TestPeer again = TestPeer.connect(vertx, port, "alice", Tokens.hs256(SECRET, claims("alice").put("n", 2)))) {
        again.expectType("OPEN");
        alice.awaitClose();
      }
    }
    assertNotLogged(List.of(good, expired, forged, garbage, mallory));
  }

  @Test
  void sessionServiceFailuresLogNoToken(Vertx vertx) {
    SessionService service = SessionService.start(vertx).user("sess-alice-0123456789", "alice");
    try {
      int port = Brokers.start(vertx, Brokers.options().setAuth("session").setSessionUrl(service.url())
          .setSessionTimeout(500)).actualPort();
      try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "sess-unknown-0123456789")) {
        refused(peer);
      }
      service.fail(500);
      try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "sess-failing-0123456789")) {
        refused(peer);
      }
      service.hang();
      try (TestPeer peer = TestPeer.connect(vertx, port, "alice", "sess-hanging-0123456789")) {
        refused(peer);
      }
      assertNotLogged(List.of("sess-alice-0123456789", "sess-unknown-0123456789", "sess-failing-0123456789",
          "sess-hanging-0123456789"));
    } finally {
      service.close();
    }
  }
}

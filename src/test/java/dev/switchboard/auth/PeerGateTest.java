package dev.switchboard.auth;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.LocalPeerDirectory;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import dev.switchboard.support.Await;
import dev.switchboard.support.ManualClock;
import dev.switchboard.support.Tokens;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.support.Tokens.SECRET;
import static dev.switchboard.support.Tokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate as any transport uses it — here as the XHR transport will, with the token from its path —
 * against a real router: admitted links are bound to their user, refused ones closed with the reason.
 */
@ExtendWith(VertxExtension.class)
class PeerGateTest {
  private SignalRouter router;
  private PeerGate gate;

  /** A transport link that records what it was sent and why it was closed. */
  static final class RecordingLink extends AbstractPeerLink {
    final List<String> sent = new CopyOnWriteArrayList<>();
    volatile CloseReason closedWith;

    RecordingLink(String id, String token) {
      super(id, token, "test", 0);
    }

    @Override
    public String transport() {
      return "xhr";
    }

    @Override
    public boolean send(byte[] message) {
      sent.add(new String(message));
      return true;
    }

    @Override
    protected void doClose(CloseReason reason) {
      closedWith = reason;
    }
  }

  @BeforeEach
  void start(Vertx vertx) {
    router = new SignalRouter(new LocalPeerDirectory(TakeoverRule.SAME_USER, 10), new OfflineMailbox(10, 100),
        new ManualClock(), 5_000, 90_000, new BrokerListener() { });
    gate = Await.result(PeerGate.create(vertx, new dev.switchboard.config.SwitchboardOptions().setAuth("jwt")
        .setJwtSecret(SECRET).validate(), Clock.systemUTC()));
  }

  @Test
  void aValidPathTokenAdmitsAndBindsTheUser() {
    RecordingLink link = new RecordingLink("alice", Tokens.hs256(SECRET, claims("alice")));
    assertTrue(Await.result(gate.connect(router, link, gate.fromXhr(MultiMap.caseInsensitiveMultiMap(), link.token()))));
    assertEquals("alice", link.userId());
    assertEquals("OPEN", new JsonObject(link.sent.get(0)).getString("type"));
  }

  @Test
  void refusalsCloseTheLinkWithTheirReason() {
    RecordingLink noToken = new RecordingLink("alice", "");
    assertFalse(Await.result(gate.connect(router, noToken, gate.fromXhr(MultiMap.caseInsensitiveMultiMap(), ""))));
    assertEquals(CloseReason.INVALID_TOKEN, noToken.closedWith);

    RecordingLink mallory = new RecordingLink("alice", Tokens.hs256(SECRET, claims("mallory")));
    assertFalse(Await.result(gate.connect(router, mallory, gate.fromXhr(MultiMap.caseInsensitiveMultiMap(), mallory.token()))));
    assertEquals(CloseReason.ID_NOT_ALLOWED, mallory.closedWith);
    assertFalse(router.directory().contains("alice"));
  }

  @Test
  void anOverlongTokenIsRefusedUnread() {
    String huge = "x".repeat(PeerGate.MAX_TOKEN_LENGTH + 1);
    RecordingLink link = new RecordingLink("alice", huge);
    assertFalse(Await.result(gate.connect(router, link, new Credentials(huge, Credentials.Source.PATH))));
    assertEquals(CloseReason.INVALID_TOKEN, link.closedWith);
  }

  @Test
  void anOpenGateAdmitsWithoutCredentials() {
    RecordingLink link = new RecordingLink("anyone", "random");
    PeerGate open = PeerGate.open();
    assertEquals(null, open.fromXhr(MultiMap.caseInsensitiveMultiMap(), "random"));
    assertTrue(Await.result(open.connect(router, link, null)));
    assertEquals(null, link.userId());
  }
}

package dev.switchboard.webhooks;

import dev.switchboard.calls.CallLimits;
import dev.switchboard.calls.CallService;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static dev.switchboard.webhooks.EventTypes.CALLEE_WAKEUP;

/**
 * The wake-up of an offline callee (docs/webhooks.md, "Wake-up"): a CALL-INVITE to a user with no
 * connected device (and, with {@code --wakeup_on_offer}, a PeerJS OFFER queued for an absent peer) sends
 * {@code callee.wakeup}. The call is held meanwhile; when every URL refused ({@code "pushed": false}) or
 * failed within the wake-up deadline, it ends {@code unavailable} at once.
 */
final class WakeUps implements CallService.DeviceWaker, BrokerListener {
  private static final Logger LOG = Logger.getLogger(WakeUps.class.getName());
  private static final int MAX_TRACKED = 10_000;

  private final Webhooks webhooks;
  private final Clock clock;
  private final CallService calls;
  private final OfflineMailbox mailbox;
  private final boolean onOffer;
  /** Absent peers woken for a queued OFFER, until when their queue is held. */
  private final ConcurrentHashMap<String, Long> heldUntil = new ConcurrentHashMap<>();

  WakeUps(Webhooks webhooks, Clock clock, CallService calls, OfflineMailbox mailbox, boolean onOffer) {
    this.webhooks = webhooks;
    this.clock = clock;
    this.calls = calls;
    this.mailbox = mailbox;
    this.onOffer = onOffer;
  }

  @Override
  public int wake(String userId, String callId, String fromUser) {
    if (!webhooks.sends(CALLEE_WAKEUP)) {
      return 0;
    }
    JsonObject data = new JsonObject().put("reason", "call").put("callId", callId).put("user", userId)
        .put("fromUser", fromUser);
    // Sent once the call broker has taken the invite: an answer cannot overtake the call it is about.
    webhooks.vertx().getOrCreateContext().runOnContext(v ->
        webhooks.publish(CALLEE_WAKEUP, "wakeup:call:" + callId, data, outcome(() -> {
          LOG.fine(() -> "wake-up for call " + callId + " failed: it ends unavailable");
          calls.unavailable(callId);
        })));
    return 1;
  }

  // Told once per URL; the wake-up failed when no URL took it.
  private Consumer<Boolean> outcome(Runnable failed) {
    AtomicInteger left = new AtomicInteger(webhooks.endpointCount());
    boolean[] woken = new boolean[1];
    return taken -> {
      woken[0] |= taken;
      if (left.decrementAndGet() == 0 && !woken[0]) {
        failed.run();
      }
    };
  }

  @Override
  public void messageQueued(PeerLink from, MessageType type, String dst) {
    if (!onOffer || type != MessageType.OFFER || !webhooks.sends(CALLEE_WAKEUP)) {
      return;
    }
    long now = clock.millis();
    long until = now + CallLimits.DEFAULT_RING_MS;
    boolean[] fresh = new boolean[1];
    heldUntil.compute(dst, (peer, held) -> {
      if (held != null && held > now) {
        return held; // woken already for this queue
      }
      fresh[0] = true;
      return until;
    });
    if (!fresh[0]) {
      return;
    }
    if (heldUntil.size() > MAX_TRACKED) {
      heldUntil.values().removeIf(held -> held <= now); // peers that never came
    }
    mailbox.hold(dst, until);
    JsonObject data = new JsonObject().put("reason", "offer").put("peer", dst).put("fromPeer", from.id())
        .put("fromUser", from.userId()).put("expiresAt", until);
    webhooks.publish(CALLEE_WAKEUP, "wakeup:peer:" + dst, data, outcome(() -> {
      if (heldUntil.remove(dst, until)) {
        mailbox.hold(dst, 0); // back to expire_timeout: the sender gets EXPIRE at the next sweep
      }
    }));
  }

  @Override
  public void peerConnected(PeerLink peer) {
    if (!heldUntil.isEmpty()) {
      heldUntil.remove(peer.id());
    }
  }
}

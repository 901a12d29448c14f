package dev.switchboard.calls;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * Calls made with plain PeerJS, without the add-on, seen for metrics and events: an OFFER whose payload
 * has {@code type: "media"} starts one (keyed by its {@code connectionId}, on the offerer's node), the
 * ANSWER of that connection accepts it, and a LEAVE between the two, a party gone past the reconnect
 * grace, no ANSWER within the default ring time, or the call lifetime ends it. An OFFER between the
 * parties of a call the broker set up is that call's media, not another call. At most
 * {@value #MAX_TRACKED} are tracked per node; more are not counted.
 */
final class InferredCalls {
  static final int MAX_TRACKED = 10_000;
  private static final byte[] MEDIA = "\"media\"".getBytes(StandardCharsets.US_ASCII);

  private final Clock clock;
  private final BrokerListener events;
  private final long maxDurationMs;
  private final BiPredicate<String, String> signalled;
  private final ConcurrentHashMap<String, Inferred> calls = new ConcurrentHashMap<>();
  // Tracked calls per party: a LEAVE or a departure of a peer in none (nearly every one) looks no further.
  private final ConcurrentHashMap<String, Integer> parties = new ConcurrentHashMap<>();
  // ANSWERs told to the offerer's node: only the first of a connection matters there (a call is
  // accepted once), so a client repeating it costs the cluster nothing more. Bounded and short-lived:
  // an ANSWER after the ring time finds no unanswered call anyway.
  private final Cache<String, Boolean> toldElsewhere = Caffeine.newBuilder().maximumSize(MAX_TRACKED)
      .expireAfterWrite(Duration.ofMillis(CallLimits.DEFAULT_RING_MS)).build();

  private static final class Inferred {
    final String connectionId;
    final String caller;
    final String callee;
    final long invitedAt;
    volatile long acceptedAt;

    Inferred(String connectionId, String caller, String callee, long invitedAt) {
      this.connectionId = connectionId;
      this.caller = caller;
      this.callee = callee;
      this.invitedAt = invitedAt;
    }

    CallInfo info() {
      return new CallInfo(connectionId, caller, caller, callee, acceptedAt == 0 ? null : callee, true, invitedAt, 0,
          acceptedAt, acceptedAt);
    }

    boolean between(String a, String b) {
      return caller.equals(a) && callee.equals(b) || caller.equals(b) && callee.equals(a);
    }
  }

  /** @param signalled whether two peers are the parties of a call the broker set up */
  InferredCalls(Clock clock, BrokerListener events, long maxDurationMs, BiPredicate<String, String> signalled) {
    this.clock = clock;
    this.events = events;
    this.maxDurationMs = maxDurationMs;
    this.signalled = signalled;
  }

  private static String key(String caller, String callee, String connectionId) {
    return caller + '\n' + callee + '\n' + connectionId;
  }

  /** A media connection's id from an OFFER's or ANSWER's payload, or {@code null}; parses only media frames. */
  static String mediaConnection(ClientFrame frame) {
    if (frame.dst() == null || indexOf(frame.json(), MEDIA) < 0) {
      return null;
    }
    String[] typeAndId = frame.payloadStrings("type", "connectionId");
    return typeAndId != null && "media".equals(typeAndId[0]) ? typeAndId[1] : null;
  }

  void offered(String from, String to, String connectionId) {
    if (calls.size() >= MAX_TRACKED || signalled.test(from, to)) {
      return;
    }
    Inferred call = new Inferred(connectionId, from, to, clock.millis());
    // Counted first, so a LEAVE that sees the call also sees its parties.
    parties.merge(from, 1, Integer::sum);
    parties.merge(to, 1, Integer::sum);
    if (calls.putIfAbsent(key(from, to, connectionId), call) == null) {
      events.callInvited(call.info());
    } else {
      leftCall(from);
      leftCall(to);
    }
  }

  /** {@code from} answered {@code to}'s media OFFER of {@code connectionId}. */
  boolean answered(String from, String to, String connectionId) {
    Inferred call = calls.get(key(to, from, connectionId));
    if (call == null || call.acceptedAt != 0) {
      return call != null;
    }
    call.acceptedAt = clock.millis();
    events.callAccepted(call.info());
    events.callMedia(call.info());
    return true;
  }

  /** A LEAVE passed between {@code a} and {@code b}: their inferred calls ended. */
  void left(String a, String b) {
    if (!parties.containsKey(a) || !parties.containsKey(b)) {
      return;
    }
    end(c -> c.between(a, b), "hangup");
  }

  /** {@code peer} is gone past the reconnect grace. */
  void gone(String peer) {
    if (!parties.containsKey(peer)) {
      return;
    }
    end(c -> c.caller.equals(peer) || c.callee.equals(peer), "remote_disconnected");
  }

  /** Ends unanswered calls after the default ring time, and every call at the lifetime. */
  void sweep() {
    long now = clock.millis();
    end(c -> now - c.invitedAt >= maxDurationMs, "hangup");
    end(c -> c.acceptedAt == 0 && now - c.invitedAt >= CallLimits.DEFAULT_RING_MS, "missed");
  }

  private void end(java.util.function.Predicate<Inferred> which, String reason) {
    if (calls.isEmpty()) {
      return;
    }
    List<Inferred> ended = new ArrayList<>();
    calls.forEach((key, call) -> {
      if (which.test(call) && calls.remove(key, call)) {
        ended.add(call);
        leftCall(call.caller);
        leftCall(call.callee);
      }
    });
    for (Inferred call : ended) {
      events.callEnded(call.info(), call.acceptedAt == 0 && "hangup".equals(reason) ? "cancelled" : reason);
    }
  }

  private void leftCall(String party) {
    parties.computeIfPresent(party, (p, count) -> count == 1 ? null : count - 1);
  }

  /**
   * Whether the offerer's node is to hear of {@code from}'s ANSWER to {@code to}'s media OFFER: true for
   * the first ANSWER of that connection within the ring time, false for repeats.
   */
  boolean firstAnswerElsewhere(String from, String to, String connectionId) {
    return toldElsewhere.asMap().putIfAbsent(key(to, from, connectionId), Boolean.TRUE) == null;
  }

  /** Whether {@code peer} is a party of a call tracked here. */
  boolean isParty(String peer) {
    return parties.containsKey(peer);
  }

  int size() {
    return calls.size();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

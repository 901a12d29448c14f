package dev.switchboard.metrics;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.InvalidUtf8Exception;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;
import dev.switchboard.routing.PeerLink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's own series, fed by the routing core's events. Micrometer names use dots; the Prometheus
 * registry writes them as {@code switchboard_..._total} and so on. Labels are bounded sets only
 * (transport, reason, message type, result): never a peer id, token or address.
 */
public final class BrokerMetrics implements BrokerListener, dev.switchboard.presence.PresenceMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, AtomicInteger> connected = new ConcurrentHashMap<>();
  private final DistributionSummary frameSize;
  private final Counter deliveredLate;
  private final Counter expired;
  // Per-message counters are looked up once: registry.counter(name, tags) builds tags and an id per call.
  // Keyed by type: PeerServer's are registered up front; an application's (only types it registered a
  // handler for reach the relay, so the label set stays bounded) on first use.
  private final ConcurrentHashMap<MessageType, Counter> relayed = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MessageType, Counter> queued = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> authLookups = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> authLatency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Counter> responses = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> activeCalls = new ConcurrentHashMap<>();
  private final Timer inviteToRinging;
  private final Timer inviteToAccept;
  private final Timer acceptToMedia;
  private final Counter presencePushed;
  private final AtomicInteger presenceWatchers = new AtomicInteger();
  private final ConcurrentHashMap<String, Counter> turnIssued = new ConcurrentHashMap<>();

  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.frameSize = DistributionSummary.builder("switchboard.frame.size")
        .description("Size of client frames received")
        .baseUnit("bytes")
        .serviceLevelObjectives(128, 512, 1024, 2048, 4096, 8192, 16384, 65536)
        .register(registry);
    this.deliveredLate = Counter.builder("switchboard.messages.delivered.late")
        .description("Queued messages delivered when their peer connected").register(registry);
    this.expired = Counter.builder("switchboard.messages.expired")
        .description("EXPIRE notices sent: queued messages whose peer did not connect in time, or overflow")
        .register(registry);
    for (MessageType type : MessageType.peerServerTypes()) {
      if (type.relayed()) {
        counter(relayed, "switchboard.messages.relayed", type);
      }
      if (type.queuedWhenAbsent()) {
        counter(queued, "switchboard.messages.queued", type);
      }
    }
    gaugeFor("websocket");
    inviteToRinging = callLatency("switchboard.call.ringing.latency", "From CALL-INVITE to the first device ringing");
    inviteToAccept = callLatency("switchboard.call.accept.latency", "From CALL-INVITE to a device accepting");
    acceptToMedia = callLatency("switchboard.call.media.latency", "From the accept to the first OFFER or ANSWER between the parties");
    activeCallsOf("signalled");
    activeCallsOf("inferred");
    presencePushed = counter("switchboard.presence.updates.pushed",
        "User entries pushed to watchers in PRESENCE frames (snapshots not counted)");
    Gauge.builder("switchboard.presence.watchers", presenceWatchers, AtomicInteger::get)
        .description("Peers of this node watching at least one user's presence").register(registry);
    for (String way : new String[] {"http", "push"}) {
      turnIssued.put(way, Counter.builder("switchboard.turn.credentials.issued")
          .description("ICE server answers handed out with TURN credentials, by way (GET /ice or ICE-SERVERS push)")
          .tag("way", way).register(registry));
    }
  }

  @Override
  public void presencePushed(int users) {
    presencePushed.increment(users);
  }

  @Override
  public void presenceWatchers(int delta) {
    presenceWatchers.addAndGet(delta);
  }

  /** TURN credentials were handed out by {@code way}: {@code http} or {@code push} (never a user id). */
  public void turnCredentialsIssued(String way) {
    Counter counter = turnIssued.get(way);
    if (counter != null) {
      counter.increment();
    }
  }

  private Timer callLatency(String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(java.time.Duration.ofMillis(1)).maximumExpectedValue(java.time.Duration.ofMinutes(3))
        .register(registry);
  }

  private AtomicInteger activeCallsOf(String kind) {
    return activeCalls.computeIfAbsent(kind, k -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("switchboard.calls.active", value, AtomicInteger::get)
          .description("Calls ringing or in progress whose home is this node").tag("kind", k).register(registry);
      return value;
    });
  }

  private static String kind(CallInfo call) {
    return call.inferred() ? "inferred" : "signalled";
  }

  @Override
  public void callInvited(CallInfo call) {
    activeCallsOf(kind(call)).incrementAndGet();
  }

  @Override
  public void callRinging(CallInfo call) {
    inviteToRinging.record(call.ringingAt() - call.invitedAt(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void callAccepted(CallInfo call) {
    if (!call.inferred()) {
      inviteToAccept.record(call.acceptedAt() - call.invitedAt(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void callMedia(CallInfo call) {
    if (!call.inferred()) {
      acceptToMedia.record(call.mediaAt() - call.acceptedAt(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void callEnded(CallInfo call, String reason) {
    activeCallsOf(kind(call)).decrementAndGet();
    registry.counter("switchboard.calls.ended", "kind", kind(call),
        "outcome", call.acceptedAt() > 0 ? "answered" : "unanswered", "reason", reason).increment();
  }

  private AtomicInteger gaugeFor(String transport) {
    return connected.computeIfAbsent(transport, t -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("switchboard.peers.connected", value, AtomicInteger::get)
          .description("Peers connected now").tag("transport", t).register(registry);
      return value;
    });
  }

  // Every series has a HELP text: Prometheus shows it, and a bare registry.counter(...) has none.
  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  private static String label(CloseReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void peerConnected(PeerLink peer) {
    gaugeFor(peer.transport()).incrementAndGet();
    counter("switchboard.connections.opened", "Peers admitted (OPEN sent)", "transport", peer.transport()).increment();
  }

  @Override
  public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
    counter("switchboard.connections.refused", "Connections refused before a peer was admitted, by reason",
        "transport", transport, "reason", label(reason)).increment();
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    gaugeFor(peer.transport()).decrementAndGet();
    counter("switchboard.disconnections", "Admitted peers that went, by reason",
        "transport", peer.transport(), "reason", label(reason)).increment();
  }

  @Override
  public void messageRelayed(PeerLink from, MessageType type, String dst) {
    counter(relayed, "switchboard.messages.relayed", type).increment();
  }

  @Override
  public void messageQueued(PeerLink from, MessageType type, String dst) {
    counter(queued, "switchboard.messages.queued", type).increment();
  }

  private Counter counter(ConcurrentHashMap<MessageType, Counter> counters, String name, MessageType type) {
    Counter counter = counters.get(type);
    return counter != null ? counter : counters.computeIfAbsent(type, t -> counter(name,
        counters == relayed ? "Messages delivered to a connected peer at once" : "Messages queued for a peer not connected",
        "type", t.wire()));
  }

  @Override
  public void queuedDelivered(PeerLink to, int count) {
    deliveredLate.increment(count);
  }

  @Override
  public void messageExpired(String absentPeer, String sender) {
    expired.increment();
  }

  @Override
  public void frameRejected(PeerLink from, String reason) {
    counter("switchboard.frames.rejected", "Client frames refused unread or unrouted, by kind",
        "reason", rejectionKind(reason)).increment();
  }

  // The router's reason text can quote client input; only its kind becomes a label.
  static String rejectionKind(String reason) {
    if (reason == null) {
      return "malformed";
    }
    if (reason.startsWith("too big")) {
      return "too_big";
    }
    if (reason.startsWith("binary")) {
      return "binary";
    }
    if (reason.equals(InvalidUtf8Exception.REASON)) {
      return "invalid_utf8";
    }
    return "malformed";
  }

  @Override
  public void frameReceived(PeerLink from, int bytes) {
    frameSize.record(bytes);
  }

  @Override
  public void authLookup(String result, long nanos) {
    String r = switch (result) {
      case "hit", "miss", "refused", "failure" -> result; // a bounded set: one meter each
      default -> "other";
    };
    authLookups.computeIfAbsent(r, label -> counter("switchboard.auth.lookups",
        "Identity look-ups: cache hit, miss (asked), refused token, failure (backend)", "result", label)).increment();
    authLatency.computeIfAbsent(r, label -> Timer.builder("switchboard.auth.lookup.duration")
            .description("Identity look-up latency").tag("result", label).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A certificate reload was tried; {@code ok} tells whether the new files were taken. */
  public void certificateReload(boolean ok) {
    counter("switchboard.tls.reloads", "TLS key and certificate reloads", "result", ok ? "success" : "failure")
        .increment();
  }

  /**
   * Counts HTTP responses by status code (the API, XHR transport and health routes; WebSocket upgrades
   * are counted as connections). Mounted first on a router, it sees every request.
   */
  public void countResponses(RoutingContext ctx) {
    ctx.addEndHandler(ended -> responses.computeIfAbsent(ctx.response().getStatusCode(),
        code -> Counter.builder("switchboard.http.responses").description("HTTP responses by status code")
            .tag("code", String.valueOf(code)).register(registry)).increment());
    ctx.next();
  }
}

package dev.switchboard.calls;

import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.MessageHandler;
import dev.switchboard.routing.MessageHandlers;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.PeerLocation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import static dev.switchboard.calls.CallSettings.LEAVE_ON_DISCONNECT;
import static dev.switchboard.calls.CallSettings.RECONNECT_GRACE;

/**
 * The call broker of one node (docs/calls.md): handlers for the client's CALL-* frames, the calls this
 * node is home to ({@link CallBook}), their timers, and — in a cluster — the {@link CallMesh} that carries
 * frames about a call to its home node and the home's frames to the parties' nodes. A call's home is the
 * node its CALL-INVITE was handled on; the same code runs on a single node, with no mesh.
 */
public final class CallService implements BrokerListener {
  private static final Logger LOG = Logger.getLogger(CallService.class.getName());
  /** How often ring, signalling and lifetime deadlines are checked. */
  static final long SWEEP_MS = 200;
  /** The client's frame types this service takes. */
  public static final Set<String> TYPES = Set.of("CALL-INVITE", "CALL-RINGING", "CALL-ACCEPT", "CALL-REJECT",
      "CALL-CANCEL", "CALL-HANGUP");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Broker broker;
  private final BrokerListener events;
  private final boolean auth;
  private final CallLimits limits;
  private final CallBook book;
  private final CallMesh mesh;
  private final Departures departures;
  private final InferredCalls inferred;
  private final long sweepTimer;
  private volatile DeviceWaker waker = DeviceWaker.NONE;

  /**
   * Wakes devices of a user that has none connected (a push notification: {@code callee.wakeup},
   * docs/webhooks.md). It answers how many wake-ups it sent; more than 0 holds the call (CALL-TRYING
   * {@code woken: true}) until its ring time, or until the waker calls {@link #unavailable}.
   */
  @FunctionalInterface
  public interface DeviceWaker {
    DeviceWaker NONE = (user, callId, fromUser) -> 0;

    int wake(String userId, String callId, String fromUser);
  }

  private CallService(Vertx vertx, SwitchboardOptions options, Broker broker, BrokerListener events,
                      ClusterNode cluster, Departures departures) {
    this.vertx = vertx;
    this.broker = broker;
    this.events = events;
    this.auth = options.isAuthEnabled();
    this.limits = CallLimits.of(options);
    this.book = new CallBook(broker.clock(), limits, CallService::newCallId);
    this.departures = departures;
    this.mesh = cluster == null ? null : new CallMesh(vertx, cluster, broker, this);
    if (cluster != null) {
      cluster.onConnectedElsewhere(this::connected);
    }
    this.inferred = new InferredCalls(broker.clock(), events, limits.maxDurationMs(), book::between);
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> {
      carryOut(book.sweep());
      inferred.sweep();
    });
  }

  /**
   * Installs the call broker on a switchboard: registers the CALL-* handlers, listens for disconnects
   * (through {@code departures}, after the reconnect grace) and for OFFER/ANSWER (media of an accepted
   * call), and reports call events to {@code events}.
   *
   * @param listeners where the service adds itself as a listener
   */
  public static CallService install(Vertx vertx, SwitchboardOptions options, Broker broker, MessageHandlers handlers,
                                    BrokerListener events, java.util.function.Consumer<BrokerListener> listeners,
                                    ClusterNode cluster, Departures departures) {
    CallService service = new CallService(vertx, options, broker, events, cluster, departures);
    for (String type : TYPES) {
      handlers.register(type, (from, frame, b) -> service.receive(from, frame));
    }
    // Plain PeerJS calls are seen on their way: after the relay, which they must not slow down.
    MessageHandler offer = handlers.handler("OFFER");
    handlers.register("OFFER", (from, frame, b) -> {
      offer.handle(from, frame, b);
      service.offered(from, frame);
    });
    MessageHandler answer = handlers.handler("ANSWER");
    handlers.register("ANSWER", (from, frame, b) -> {
      answer.handle(from, frame, b);
      service.answered(from, frame);
    });
    departures.subscribe(options.get(RECONNECT_GRACE), gone -> service.gone(gone.peerId()), back -> {
      if (service.mesh != null && !broker.lookup(back.peerId()).isHere()) {
        service.mesh.forget(back.peerId()); // it carries on at another node, which the homes now send to
      }
    });
    listeners.accept(service);
    if (options.get(LEAVE_ON_DISCONNECT) > 0) {
      listeners.accept(new LeaveOnDisconnect(broker, departures, options.get(LEAVE_ON_DISCONNECT)));
    }
    return service;
  }

  /** Sets what wakes devices of a user that has none connected (the default wakes none). */
  public void wakeWith(DeviceWaker waker) {
    this.waker = waker;
  }

  /** The calls this node is home to now, ringing ({@code acceptedAt} 0) and in progress. */
  public List<dev.switchboard.routing.CallInfo> calls() {
    return book.calls();
  }

  /**
   * Ends call {@code callId}, held for a wake-up, with {@code unavailable} — unless a device of the callee
   * connected meanwhile and rings. For the {@link DeviceWaker} whose push failed (docs/webhooks.md); a
   * call that is not this node's, or no longer rings, is left alone.
   */
  public void unavailable(String callId) {
    carryOut(book.wakeFailed(callId));
  }

  /** How many calls this node is home to now. */
  public int activeCalls() {
    return book.size();
  }

  /** Stops the timers and the mesh. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    return mesh == null ? Future.succeededFuture() : mesh.close();
  }

  static String newCallId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  private String userOf(PeerLink link) {
    return link.userId() != null ? link.userId() : link.id();
  }

  private void receive(PeerLink from, ClientFrame frame) {
    JsonObject payload = frame.payload();
    try {
      if ("CALL-INVITE".equals(frame.typeName())) {
        CallRequests.Invite invite = CallRequests.invite(payload, limits);
        String glareHome = mesh == null ? null : mesh.glareHome(from.id(), invite.to());
        if (glareHome != null) {
          mesh.act(glareHome, from.id(), userOf(from), frame.typeName(), payload);
        } else {
          invite(from.id(), userOf(from), invite);
        }
        return;
      }
      String callId = CallRequests.callId(payload);
      if (!book.has(callId) && mesh != null) {
        mesh.forward(callId, from.id(), userOf(from), frame.typeName(), payload);
        return;
      }
      act(from.id(), frame.typeName(), payload);
    } catch (CallError e) {
      refuse(from.id(), e);
    }
  }

  /** Handles a call frame of {@code peer} (here, or forwarded by its node) on this node, the call's home. */
  void act(String peer, String type, JsonObject payload) {
    String callId = CallRequests.callId(payload);
    switch (type) {
      case "CALL-RINGING" -> carryOut(book.ringing(peer, callId));
      case "CALL-ACCEPT" -> carryOut(book.accept(peer, callId));
      case "CALL-REJECT" -> carryOut(book.reject(peer, callId, CallRequests.rejectReason(payload, callId)));
      case "CALL-CANCEL" -> carryOut(book.cancel(peer, callId));
      case "CALL-HANGUP" -> carryOut(book.hangup(peer, callId, CallRequests.hangupDetail(payload, callId)));
      default -> throw new CallError(CallError.INVALID, callId, "not a call request: " + type);
    }
  }

  /** Whether this node is the home of {@code callId}. */
  boolean isHome(String callId) {
    return book.has(callId);
  }

  /** Handles a CALL-INVITE on this node, which becomes the call's home. */
  void invite(String peer, String user, CallRequests.Invite asked) {
    CallRequests.Invite invite = asked.callId() != null ? asked
        : new CallRequests.Invite(newCallId(), asked.to(), asked.media(), asked.ringMs(), asked.metadata());
    devicesOf(invite.to()).onComplete(found -> {
      List<String> devices = found.succeeded() ? found.result() : List.of();
      try {
        int woken = devices.isEmpty() || devices.equals(List.of(peer))
            ? waker.wake(invite.to(), invite.callId(), user) : 0;
        carryOut(book.invite(peer, user, invite, devices, woken));
      } catch (CallError e) {
        refuse(peer, e);
      }
    });
  }

  // With auth, each peer of the verified user; without, the peer of that id.
  private Future<List<String>> devicesOf(String user) {
    if (auth) {
      return broker.peersOfUser(user);
    }
    return Future.succeededFuture(broker.lookup(user).connected() ? List.of(user) : List.of());
  }

  void refuse(String peer, CallError e) {
    JsonObject payload = new JsonObject();
    if (e.callId() != null) {
      payload.put("callId", e.callId());
    }
    deliver(new Effects.Send(peer, e.callId(), "CALL-ERROR", payload.put("code", e.code()).put("msg", e.getMessage())));
  }

  private void offered(PeerLink from, ClientFrame frame) {
    String connectionId = InferredCalls.mediaConnection(frame);
    if (connectionId != null) {
      inferred.offered(from.id(), frame.dst(), connectionId);
    }
  }

  private void answered(PeerLink from, ClientFrame frame) {
    if (mesh == null && !inferred.isParty(from.id())) {
      return; // no call offered to it on this node, nor on another: nothing to read in its ANSWER
    }
    String connectionId = InferredCalls.mediaConnection(frame);
    if (connectionId != null && !inferred.answered(from.id(), frame.dst(), connectionId) && mesh != null
        && inferred.firstAnswerElsewhere(from.id(), frame.dst(), connectionId)) {
      mesh.inferred("answered", from.id(), frame.dst(), connectionId);
    }
  }

  /** An inferred call's ANSWER or LEAVE that passed another node, for the offerer's node. */
  void inferredElsewhere(String what, String from, String to, String connectionId) {
    if ("answered".equals(what)) {
      inferred.answered(from, to, connectionId);
    } else {
      inferred.left(from, to);
    }
  }

  /** {@code peer} is gone for good (past the reconnect grace): its calls here, and at their homes, end. */
  void gone(String peer) {
    carryOut(book.gone(peer));
    inferred.gone(peer);
    if (mesh != null) {
      mesh.gone(peer);
    }
  }

  /** A peer of another node is gone for good: its calls homed here end. */
  void carryOutGone(String peer) {
    carryOut(book.gone(peer));
  }

  CallRequests.Invite parseInvite(JsonObject payload) {
    return CallRequests.invite(payload, limits);
  }

  void media(String from, String to) {
    carryOut(book.media(from, to));
  }

  /** Peers in calls this node is home to: the mesh checks them when a node leaves. */
  List<String> homeParties() {
    return book.parties();
  }

  Departures departures() {
    return departures;
  }

  // Sends and events, after the book's lock was let go.
  void carryOut(Effects fx) {
    for (Effects.Send send : fx.sends()) {
      deliver(send);
    }
    for (Effects.Event event : fx.events()) {
      switch (event.kind()) {
        case INVITED -> events.callInvited(event.call());
        case RINGING -> events.callRinging(event.call());
        case ACCEPTED -> events.callAccepted(event.call());
        case MEDIA -> events.callMedia(event.call());
        case ENDED -> events.callEnded(event.call(), event.reason());
        default -> throw new IllegalStateException(event.kind().name());
      }
    }
  }

  /** Sends a frame of this node's calls to its peer, here or on the node that holds it. */
  void deliver(Effects.Send send) {
    PeerLocation location = broker.lookup(send.peer());
    if (location.isHere() || mesh == null) {
      broker.send(send.peer(), send.type(), send.payload());
    } else if (location.node() != null) {
      mesh.deliver(location.node(), send);
    } else {
      LOG.fine(() -> "call frame " + send.type() + " for " + send.peer() + " dropped: not connected");
    }
  }

  @Override
  public void peerConnected(PeerLink peer) {
    connected(peer.id(), peer.userId());
  }

  // A device connecting while a call to its user rings is rung too (wherever it connected).
  private void connected(String peer, String verifiedUser) {
    String user = auth ? verifiedUser : peer;
    if (user != null) {
      carryOut(book.connected(peer, user));
    }
  }

  @Override
  public void messageRelayed(PeerLink from, MessageType type, String dst) {
    if (type == MessageType.LEAVE) {
      inferred.left(from.id(), dst);
      if (mesh != null) {
        mesh.inferred("left", from.id(), dst, null);
      }
    } else if (type == MessageType.OFFER || type == MessageType.ANSWER) {
      media(from.id(), dst);
      if (mesh != null) {
        mesh.media(from.id(), dst);
      }
    }
  }
}

package dev.switchboard.webhooks;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.switchboard.webhooks.EventTypes.CALL_ANSWERED;
import static dev.switchboard.webhooks.EventTypes.CALL_ENDED;
import static dev.switchboard.webhooks.EventTypes.CALL_INVITED;
import static dev.switchboard.webhooks.EventTypes.CALL_MISSED;
import static dev.switchboard.webhooks.EventTypes.CALL_RINGING;
import static dev.switchboard.webhooks.EventTypes.PEER_OFFLINE;
import static dev.switchboard.webhooks.EventTypes.PEER_ONLINE;

/**
 * Peer and call events as webhooks (docs/webhooks.md, "Events"), each sent by the node where it happened:
 * a peer's by the node it is connected to, a call's by its home node (where the call broker fires them).
 */
final class BrokerEvents implements BrokerListener {
  /** Reasons a call ended without anyone answering or refusing it: the callee missed it. */
  static final Set<String> MISSED = Set.of("missed", "unavailable", "cancelled");

  private final Webhooks webhooks;
  private final Clock clock;
  /**
   * Peers whose connection ended here and who have not come back yet, with why it ended: a connection
   * again within the reconnect grace (a reload) is no peer.online, and only the node where the peer was
   * connected sends its peer.offline.
   */
  private final ConcurrentHashMap<String, String> away = new ConcurrentHashMap<>();

  BrokerEvents(Webhooks webhooks, Clock clock) {
    this.webhooks = webhooks;
    this.clock = clock;
  }

  static String userKey(String userId, String peerId) {
    return "user:" + (userId != null ? userId : peerId);
  }

  @Override
  public void peerConnected(PeerLink peer) {
    if (away.remove(peer.id()) != null) {
      return; // back within the grace: it never went offline
    }
    webhooks.publish(PEER_ONLINE, userKey(peer.userId(), peer.id()), new JsonObject().put("peerId", peer.id())
        .put("userId", peer.userId()).put("transport", peer.transport()));
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    away.put(peer.id(), reason.name().toLowerCase(Locale.ROOT));
  }

  /** The peer has been gone longer than the reconnect grace. */
  void departed(Departures.Departure gone) {
    String reason = away.remove(gone.peerId());
    if (reason == null) {
      return; // not ours: a peer of a node that left, watched here for its calls
    }
    webhooks.publish(PEER_OFFLINE, userKey(gone.userId(), gone.peerId()), new JsonObject().put("peerId", gone.peerId())
        .put("userId", gone.userId()).put("reason", reason).put("disconnectedAt", gone.goneSince()));
  }

  /** The peer came back in time, here or on another node. */
  void back(Departures.Departure departure) {
    away.remove(departure.peerId());
  }

  private static JsonObject call(CallInfo call) {
    return new JsonObject().put("callId", call.callId()).put("callerPeer", call.callerPeer())
        .put("callerUser", call.callerUser()).put("calleeUser", call.calleeUser()).put("inferred", call.inferred());
  }

  private static String callKey(CallInfo call) {
    return "call:" + call.callId();
  }

  @Override
  public void callInvited(CallInfo call) {
    webhooks.publish(CALL_INVITED, callKey(call), call(call).put("invitedAt", call.invitedAt()));
  }

  @Override
  public void callRinging(CallInfo call) {
    webhooks.publish(CALL_RINGING, callKey(call), call(call).put("ringingAt", call.ringingAt()));
  }

  @Override
  public void callAccepted(CallInfo call) {
    webhooks.publish(CALL_ANSWERED, callKey(call), call(call).put("acceptedPeer", call.acceptedPeer())
        .put("acceptedAt", call.acceptedAt()));
  }

  @Override
  public void callEnded(CallInfo call, String reason) {
    long now = clock.millis();
    boolean answered = call.acceptedAt() > 0;
    long setupMs = (answered ? call.acceptedAt() : now) - call.invitedAt();
    long talkMs = answered ? now - call.acceptedAt() : 0;
    webhooks.publish(CALL_ENDED, callKey(call), call(call).put("reason", reason).put("answered", answered)
        .put("acceptedPeer", call.acceptedPeer()).put("setupMs", setupMs).put("talkMs", talkMs).put("endedAt", now));
    if (!answered && MISSED.contains(reason)) {
      webhooks.publish(CALL_MISSED, callKey(call), call(call).put("reason", reason).put("invitedAt", call.invitedAt()));
    }
  }
}

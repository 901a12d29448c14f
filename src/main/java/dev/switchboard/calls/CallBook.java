package dev.switchboard.calls;

import dev.switchboard.calls.Call.Device;
import dev.switchboard.calls.Call.State;
import dev.switchboard.routing.CallInfo;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The call state machine of one node: the calls it is home to, every transition under one lock, no I/O.
 * Each method answers the {@link Effects} to carry out once the lock is let go, or throws a
 * {@link CallError} for a request that is refused (nothing changed). The rules are docs/calls.md's;
 * time comes from the injected clock, so tests move it instead of waiting.
 */
final class CallBook {
  private final Clock clock;
  private final CallLimits limits;
  private final Supplier<String> newId;
  private final Map<String, Call> calls = new HashMap<>();
  private final PeerCallIndex byPeer = new PeerCallIndex();
  /** The ringing calls to each user, for devices that connect while a call rings. */
  private final Map<String, Set<String>> ringingTo = new HashMap<>();
  private volatile int ringing;

  CallBook(Clock clock, CallLimits limits, Supplier<String> newId) {
    this.clock = clock;
    this.limits = limits;
    this.newId = newId;
  }

  /**
   * A CALL-INVITE from {@code callerPeer} (of {@code callerUser}) with the callee's connected
   * {@code devices}. {@code woken} devices are being woken by a push (a {@code callee.wakeup} webhook).
   */
  synchronized Effects invite(String callerPeer, String callerUser, CallRequests.Invite invite, List<String> devices,
                              int woken) {
    String callId = invite.callId() != null ? invite.callId() : newId.get();
    if (calls.containsKey(callId)) {
      throw new CallError(CallError.EXISTS, callId, "a call with this callId exists");
    }
    Effects fx = new Effects();
    Call glare = glareWith(callerPeer, callerUser, invite.to());
    if (glare != null) {
      // Glare: the later invite answers the earlier one, which keeps ringing nowhere else (docs/calls.md).
      fx.send(callerPeer, callId, "CALL-ENDED", ended(callId, "answered_elsewhere").put("replacedBy", glare.id));
      accept(glare, callerPeer, fx);
      return fx;
    }
    for (Call c : calls.values()) {
      if (c.state == State.RINGING && c.callerUser.equals(callerUser) && c.calleeUser.equals(invite.to())) {
        throw new CallError(CallError.EXISTS, c.id, "a call from this user to " + invite.to() + " is ringing");
      }
    }
    if (calls.size() >= limits.maxCalls()) {
      throw new CallError(CallError.LIMIT, callId, "the broker has too many calls; try again later");
    }
    if (count(callerPeer) >= limits.maxPerPeer()) {
      throw new CallError(CallError.LIMIT, callId, "this peer is in " + limits.maxPerPeer() + " calls already");
    }
    long now = clock.millis();
    Call call = new Call(callId, callerPeer, callerUser, invite.to(), invite.media(), invite.metadata(), now,
        invite.ringMs(), limits.maxDurationMs());
    List<String> ring = new ArrayList<>();
    boolean busy = false;
    for (String device : new LinkedHashSet<>(devices)) {
      if (device.equals(callerPeer)) {
        continue;
      }
      if (count(device) >= limits.maxPerPeer()) {
        busy = true;
      } else {
        ring.add(device);
      }
    }
    fx.event(Effects.Kind.INVITED, call.info(), null);
    if (ring.isEmpty() && woken == 0) {
      String reason = busy ? "busy" : "unavailable";
      fx.send(callerPeer, callId, "CALL-ENDED", ended(callId, reason));
      fx.event(Effects.Kind.ENDED, call.info(), reason);
      return fx;
    }
    calls.put(callId, call);
    ringingTo.computeIfAbsent(call.calleeUser, u -> new LinkedHashSet<>()).add(callId);
    ringing++;
    byPeer.add(callerPeer, callId);
    fx.send(callerPeer, callId, "CALL-TRYING",
        new JsonObject().put("callId", callId).put("devices", ring.size()).put("woken", woken > 0));
    for (String device : ring) {
      ring(call, device, fx);
    }
    return fx;
  }

  private void ring(Call call, String device, Effects fx) {
    call.devices.put(device, Device.INVITED);
    byPeer.add(device, call.id);
    fx.send(device, call.id, "CALL-INCOMING", new JsonObject().put("callId", call.id).put("from", call.callerUser)
        .put("fromPeer", call.callerPeer).put("media", call.media).put("metadata", call.metadata)
        .put("expiresAt", call.ringDeadline));
  }

  /**
   * Peer {@code peer} of user {@code user} connected: the calls ringing for that user ring it too, unless
   * it was rung for them already or is in as many calls as it may be.
   */
  Effects connected(String peer, String user) {
    Effects fx = new Effects();
    if (ringing == 0) {
      return fx; // no lock on a connect while nothing rings
    }
    synchronized (this) {
      for (String callId : List.copyOf(ringingTo.getOrDefault(user, Set.of()))) {
        Call c = calls.get(callId);
        if (!c.devices.containsKey(peer) && !peer.equals(c.callerPeer) && count(peer) < limits.maxPerPeer()) {
          ring(c, peer, fx);
        }
      }
    }
    return fx;
  }

  private void stopRinging(Call call) {
    Set<String> ids = ringingTo.get(call.calleeUser);
    if (ids != null && ids.remove(call.id)) {
      ringing--;
      if (ids.isEmpty()) {
        ringingTo.remove(call.calleeUser);
      }
    }
  }

  // The ringing call the inviting peer is itself rung for, from the user it now invites.
  private Call glareWith(String callerPeer, String callerUser, String to) {
    for (String callId : byPeer.callsOf(callerPeer)) {
      Call c = calls.get(callId);
      if (c.callerUser.equals(to) && c.calleeUser.equals(callerUser) && c.stillRinging(callerPeer)) {
        return c;
      }
    }
    return null;
  }

  /** Whether {@code peer} is rung for a call from {@code user}: its invite to that user would merge. */
  synchronized String glareCall(String peer, String peerUser, String to) {
    Call c = glareWith(peer, peerUser, to);
    return c == null ? null : c.id;
  }

  synchronized Effects ringing(String peer, String callId) {
    Call call = calleeCall(peer, callId);
    Effects fx = new Effects();
    call.devices.put(peer, Device.RINGING);
    if (call.ringingAt == 0) {
      call.ringingAt = clock.millis();
      fx.send(call.callerPeer, callId, "CALL-RINGING", new JsonObject().put("callId", callId).put("peer", peer));
      fx.event(Effects.Kind.RINGING, call.info(), null);
    }
    return fx;
  }

  synchronized Effects accept(String peer, String callId) {
    Call call = calleeCall(peer, callId);
    Effects fx = new Effects();
    accept(call, peer, fx);
    return fx;
  }

  private void accept(Call call, String peer, Effects fx) {
    long now = clock.millis();
    stopRinging(call);
    call.state = State.ACTIVE;
    call.acceptedPeer = peer;
    call.acceptedAt = now;
    call.signallingDeadline = now + limits.signallingTimeoutMs();
    if (!call.devices.containsKey(peer)) {
      byPeer.add(peer, call.id);
    }
    call.devices.put(peer, Device.RINGING);
    fx.send(call.callerPeer, call.id, "CALL-ACCEPTED", new JsonObject().put("callId", call.id).put("peer", peer));
    fx.send(peer, call.id, "CALL-ACCEPTED", new JsonObject().put("callId", call.id).put("peer", call.callerPeer));
    for (Map.Entry<String, Device> device : call.devices.entrySet()) {
      if (!device.getKey().equals(peer) && device.getValue() != Device.OUT) {
        device.setValue(Device.OUT);
        byPeer.remove(device.getKey(), call.id);
        fx.send(device.getKey(), call.id, "CALL-ENDED", ended(call.id, "answered_elsewhere"));
      }
    }
    fx.event(Effects.Kind.ACCEPTED, call.info(), null);
  }

  synchronized Effects reject(String peer, String callId, String reason) {
    Call call = calleeCall(peer, callId);
    Effects fx = new Effects();
    if ("declined".equals(reason)) {
      finish(call, p -> p.equals(call.callerPeer) || p.equals(peer) ? "declined" : "rejected_elsewhere", null, fx);
      return fx;
    }
    call.devices.put(peer, Device.OUT);
    byPeer.remove(peer, callId);
    fx.send(peer, callId, "CALL-ENDED", ended(callId, "busy"));
    if (!call.anyRinging()) {
      finish(call, p -> "busy", null, fx);
    }
    return fx;
  }

  synchronized Effects cancel(String peer, String callId) {
    Call call = party(peer, callId);
    if (!peer.equals(call.callerPeer)) {
      throw new CallError(CallError.FORBIDDEN, callId, "only the caller may cancel; a device rejects");
    }
    if (call.state != State.RINGING) {
      throw new CallError(CallError.STATE, callId, "the call was accepted; hang up instead");
    }
    Effects fx = new Effects();
    finish(call, p -> "cancelled", null, fx);
    return fx;
  }

  synchronized Effects hangup(String peer, String callId, String detail) {
    Call call = party(peer, callId);
    Effects fx = new Effects();
    if (call.state == State.RINGING && peer.equals(call.callerPeer)) {
      finish(call, p -> "cancelled", detail, fx);
    } else if (call.state == State.ACTIVE && (peer.equals(call.callerPeer) || peer.equals(call.acceptedPeer))) {
      finish(call, p -> "hangup", detail, fx);
    } else {
      throw new CallError(CallError.STATE, callId, call.state == State.RINGING
          ? "the call is ringing; a device rejects it with CALL-REJECT" : "this device is not in the call any more");
    }
    return fx;
  }

  /** An OFFER or ANSWER passed from {@code from} to {@code to}: the media of an accepted call started. */
  Effects media(String from, String to) {
    if (!byPeer.contains(from)) {
      return Effects.NONE; // the common case on the relay path: no lock, no allocation
    }
    synchronized (this) {
      return mediaLocked(from, to);
    }
  }

  private Effects mediaLocked(String from, String to) {
    Effects fx = new Effects();
    for (String callId : byPeer.callsOf(from)) {
      Call c = calls.get(callId);
      if (c.state == State.ACTIVE && c.mediaAt == 0
          && (from.equals(c.callerPeer) && to.equals(c.acceptedPeer) || from.equals(c.acceptedPeer) && to.equals(c.callerPeer))) {
        c.mediaAt = clock.millis();
        fx.event(Effects.Kind.MEDIA, c.info(), null);
      }
    }
    return fx;
  }

  /** {@code peer} has been gone longer than the reconnect grace. */
  synchronized Effects gone(String peer) {
    Effects fx = new Effects();
    for (String callId : List.copyOf(byPeer.callsOf(peer))) {
      Call c = calls.get(callId);
      if (peer.equals(c.callerPeer) || peer.equals(c.acceptedPeer)) {
        finish(c, p -> "remote_disconnected", null, fx);
      } else {
        c.devices.put(peer, Device.OUT);
        byPeer.remove(peer, callId);
        if (!c.anyRinging()) {
          finish(c, p -> "remote_disconnected", null, fx);
        }
      }
    }
    return fx;
  }

  /**
   * The wake-up of call {@code callId}'s callee failed: the call ends {@code unavailable} if it still
   * rings on no device (a device that connected meanwhile keeps it ringing).
   */
  synchronized Effects wakeFailed(String callId) {
    Call call = calls.get(callId);
    if (call == null || call.state != State.RINGING || call.anyRinging()) {
      return Effects.NONE;
    }
    Effects fx = new Effects();
    finish(call, p -> "unavailable", null, fx);
    return fx;
  }

  /** Ends the calls whose ring time, signalling time or lifetime is up. */
  synchronized Effects sweep() {
    long now = clock.millis();
    Effects fx = new Effects();
    for (Call c : List.copyOf(calls.values())) {
      if (now >= c.endAt) {
        finish(c, p -> "hangup", "max_duration", fx);
      } else if (c.state == State.RINGING && now >= c.ringDeadline) {
        finish(c, p -> "missed", null, fx);
      } else if (c.state == State.ACTIVE && c.mediaAt == 0 && now >= c.signallingDeadline) {
        finish(c, p -> "signalling_timeout", null, fx);
      }
    }
    return fx;
  }

  synchronized boolean has(String callId) {
    return calls.containsKey(callId);
  }

  synchronized int size() {
    return calls.size();
  }

  /** The callee devices still in call {@code callId} and its caller: who must hear of its end. */
  synchronized List<String> partiesOf(String callId) {
    Call c = calls.get(callId);
    return c == null ? List.of() : c.parties();
  }

  /** Whether {@code a} and {@code b} are caller and device (or device and caller) of one call. */
  synchronized boolean between(String a, String b) {
    for (String callId : byPeer.callsOf(a)) {
      Call c = calls.get(callId);
      if (c.isIn(b) && (a.equals(c.callerPeer) || b.equals(c.callerPeer))) {
        return true;
      }
    }
    return false;
  }

  /** The calls of this book now, ringing and in progress. */
  synchronized List<CallInfo> calls() {
    return calls.values().stream().map(Call::info).toList();
  }

  /** Every peer in a call of this book. */
  synchronized List<String> parties() {
    return byPeer.peers();
  }

  /** How many calls {@code peer} is in. */
  synchronized int count(String peer) {
    return byPeer.callsOf(peer).size();
  }

  // Each party still in the call gets one CALL-ENDED, with the reason reasonOf gives it.
  private void finish(Call call, Function<String, String> reasonOf, String detail, Effects fx) {
    calls.remove(call.id);
    stopRinging(call);
    for (String peer : call.parties()) {
      byPeer.remove(peer, call.id);
      JsonObject payload = ended(call.id, reasonOf.apply(peer));
      fx.send(peer, call.id, "CALL-ENDED", detail == null ? payload : payload.put("detail", detail));
    }
    call.devices.keySet().forEach(peer -> byPeer.remove(peer, call.id));
    fx.event(Effects.Kind.ENDED, call.info(), reasonOf.apply(call.callerPeer));
  }

  private static JsonObject ended(String callId, String reason) {
    return new JsonObject().put("callId", callId).put("reason", reason);
  }

  private Call party(String peer, String callId) {
    Call call = calls.get(callId);
    if (call == null) {
      throw new CallError(CallError.NOT_FOUND, callId, "no such call");
    }
    if (!peer.equals(call.callerPeer) && !call.devices.containsKey(peer)) {
      throw new CallError(CallError.FORBIDDEN, callId, "only the parties of a call may act on it");
    }
    return call;
  }

  // A callee device acting on a call that still rings for it.
  private Call calleeCall(String peer, String callId) {
    Call call = party(peer, callId);
    call.checkRingsFor(peer);
    return call;
  }
}

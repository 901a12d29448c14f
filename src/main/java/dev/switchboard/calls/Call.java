package dev.switchboard.calls;

import dev.switchboard.routing.CallInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One call on its home node; read and changed only under the {@link CallBook}'s lock. */
final class Call {
  enum State { RINGING, ACTIVE }

  /** Where a callee device stands: invited (sent CALL-INCOMING), ringing (sent CALL-RINGING), or out. */
  enum Device { INVITED, RINGING, OUT }

  final String id;
  final String callerPeer;
  final String callerUser;
  final String calleeUser;
  final Object media;
  final Object metadata;
  final long invitedAt;
  final long ringDeadline;
  final long endAt;
  final Map<String, Device> devices = new LinkedHashMap<>();
  State state = State.RINGING;
  String acceptedPeer;
  long ringingAt;
  long acceptedAt;
  long mediaAt;
  long signallingDeadline;

  Call(String id, String callerPeer, String callerUser, String calleeUser, Object media, Object metadata,
       long invitedAt, long ringMs, long maxDurationMs) {
    this.id = id;
    this.callerPeer = callerPeer;
    this.callerUser = callerUser;
    this.calleeUser = calleeUser;
    this.media = media;
    this.metadata = metadata;
    this.invitedAt = invitedAt;
    this.ringDeadline = invitedAt + ringMs;
    this.endAt = invitedAt + maxDurationMs;
  }

  /** Whether {@code peer} is the caller or a device still in the call (ringing, or the accepted one). */
  boolean isIn(String peer) {
    if (peer.equals(callerPeer)) {
      return true;
    }
    Device device = devices.get(peer);
    return device != null && device != Device.OUT;
  }

  boolean stillRinging(String peer) {
    Device device = devices.get(peer);
    return state == State.RINGING && (device == Device.INVITED || device == Device.RINGING);
  }

  /** The caller and the devices still in the call: who must hear of its end. */
  List<String> parties() {
    List<String> parties = new ArrayList<>();
    parties.add(callerPeer);
    devices.forEach((peer, d) -> {
      if (d != Device.OUT) {
        parties.add(peer);
      }
    });
    return parties;
  }

  /** Refuses a request of {@code peer} that only a device this call still rings for may make. */
  void checkRingsFor(String peer) {
    if (peer.equals(callerPeer)) {
      throw new CallError(CallError.FORBIDDEN, id, "the caller cannot do this; it may cancel or hang up");
    }
    if (!stillRinging(peer)) {
      throw new CallError(CallError.STATE, id, state == State.ACTIVE
          ? (peer.equals(acceptedPeer) ? "the call is accepted already" : "the call was answered elsewhere")
          : "this device is not ringing for the call any more");
    }
  }

  boolean anyRinging() {
    return devices.values().stream().anyMatch(d -> d != Device.OUT);
  }

  CallInfo info() {
    return new CallInfo(id, callerPeer, callerUser, calleeUser, acceptedPeer, false, invitedAt, ringingAt,
        acceptedAt, mediaAt);
  }
}

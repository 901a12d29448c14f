package dev.switchboard.calls;

import dev.switchboard.routing.CallInfo;

import java.util.LinkedHashMap;
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

  boolean anyRinging() {
    return devices.values().stream().anyMatch(d -> d != Device.OUT);
  }

  CallInfo info() {
    return new CallInfo(id, callerPeer, callerUser, calleeUser, acceptedPeer, false, invitedAt, ringingAt,
        acceptedAt, mediaAt);
  }
}

package dev.switchboard.presence;

import java.io.Serializable;

/**
 * One change to a user's devices, applied where the user's record lives (an entry processor in a
 * cluster), so concurrent changes from several nodes never overwrite each other.
 *
 * @param kind what changes
 * @param peer the device (peer id)
 * @param status for {@link Kind#SET}: the status set
 * @param note for {@link Kind#SET}: the note, or {@code null}
 * @param callId for {@link Kind#CALL_START} and {@link Kind#CALL_END}: the call
 */
public record DeviceOp(Kind kind, String peer, String status, String note, String callId) implements Serializable {

  /** What a {@link DeviceOp} does. */
  public enum Kind {
    /** The device connected (again): it counts. */
    CONNECT,
    /** The device is gone for good (past the reconnect grace): it no longer counts. */
    REMOVE,
    /** The device set the user's status. */
    SET,
    /** The device is a party of an accepted call. */
    CALL_START,
    /** The device's call ended. */
    CALL_END
  }

  public static DeviceOp connect(String peer) {
    return new DeviceOp(Kind.CONNECT, peer, null, null, null);
  }

  public static DeviceOp remove(String peer) {
    return new DeviceOp(Kind.REMOVE, peer, null, null, null);
  }

  public static DeviceOp set(String peer, String status, String note) {
    return new DeviceOp(Kind.SET, peer, status, note, null);
  }

  public static DeviceOp callStart(String peer, String callId) {
    return new DeviceOp(Kind.CALL_START, peer, null, null, callId);
  }

  public static DeviceOp callEnd(String peer, String callId) {
    return new DeviceOp(Kind.CALL_END, peer, null, null, callId);
  }
}

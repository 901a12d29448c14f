package dev.switchboard.protocol;

/**
 * The message types of the PeerJS signalling protocol, with their wire names.
 */
public enum MessageType {
  OPEN("OPEN"),
  LEAVE("LEAVE"),
  CANDIDATE("CANDIDATE"),
  OFFER("OFFER"),
  ANSWER("ANSWER"),
  EXPIRE("EXPIRE"),
  HEARTBEAT("HEARTBEAT"),
  ID_TAKEN("ID-TAKEN"),
  ERROR("ERROR");

  private final String wire;

  MessageType(String wire) {
    this.wire = wire;
  }

  /** The name as it is written in the {@code type} field. */
  public String wire() {
    return wire;
  }

  /** Whether a client may send this type to another peer (PeerServer relays exactly these). */
  public boolean relayed() {
    return this == OFFER || this == ANSWER || this == CANDIDATE || this == LEAVE || this == EXPIRE;
  }

  /** Whether a message of this type is kept for an absent destination (PeerServer drops LEAVE and EXPIRE). */
  public boolean queuedWhenAbsent() {
    return this == OFFER || this == ANSWER || this == CANDIDATE;
  }

  /** The type for a wire name, or {@code null} when the name is not one of ours. */
  public static MessageType fromWire(String name) {
    switch (name) {
      case "OFFER": return OFFER;
      case "ANSWER": return ANSWER;
      case "CANDIDATE": return CANDIDATE;
      case "HEARTBEAT": return HEARTBEAT;
      case "LEAVE": return LEAVE;
      case "EXPIRE": return EXPIRE;
      case "OPEN": return OPEN;
      case "ID-TAKEN": return ID_TAKEN;
      case "ERROR": return ERROR;
      default: return null;
    }
  }
}

package dev.switchboard.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A message type by its wire name. PeerServer 1.0's types are the constants; any other name is a type
 * an embedding application (or a later feature: calls, rooms) brought, made with {@link #of}. A class
 * rather than an enum for that reason, as Vert.x's {@code HttpMethod} is: the set of types is open, and
 * nodes of a cluster name types to each other by {@link #wire()}, never by position.
 */
public final class MessageType {
  public static final MessageType OPEN = new MessageType("OPEN", false, false);
  public static final MessageType LEAVE = new MessageType("LEAVE", true, false);
  public static final MessageType CANDIDATE = new MessageType("CANDIDATE", true, true);
  public static final MessageType OFFER = new MessageType("OFFER", true, true);
  public static final MessageType ANSWER = new MessageType("ANSWER", true, true);
  public static final MessageType EXPIRE = new MessageType("EXPIRE", true, false);
  public static final MessageType HEARTBEAT = new MessageType("HEARTBEAT", false, false);
  public static final MessageType ID_TAKEN = new MessageType("ID-TAKEN", false, false);
  public static final MessageType ERROR = new MessageType("ERROR", false, false);

  private static final List<MessageType> PEER_SERVER =
      List.of(OPEN, LEAVE, CANDIDATE, OFFER, ANSWER, EXPIRE, HEARTBEAT, ID_TAKEN, ERROR);

  private final String wire;
  private final boolean relayed;
  private final boolean queuedWhenAbsent;

  private MessageType(String wire, boolean relayed, boolean queuedWhenAbsent) {
    this.wire = wire;
    this.relayed = relayed;
    this.queuedWhenAbsent = queuedWhenAbsent;
  }

  /** The name as it is written in the {@code type} field. */
  public String wire() {
    return wire;
  }

  /** Whether a client may send this type to another peer (PeerServer relays exactly these). */
  public boolean relayed() {
    return relayed;
  }

  /**
   * Whether a message of this type is kept for an absent destination: OFFER, ANSWER and CANDIDATE only
   * (PeerServer drops LEAVE and EXPIRE; types it does not have are never queued).
   */
  public boolean queuedWhenAbsent() {
    return queuedWhenAbsent;
  }

  /** Whether this is one of PeerServer 1.0's types. */
  public boolean isPeerServer() {
    return fromWire(wire) == this;
  }

  /** PeerServer 1.0's types. */
  public static List<MessageType> peerServerTypes() {
    return PEER_SERVER;
  }

  /** PeerServer's type for a wire name, or {@code null} when the name is not one of PeerServer's. */
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

  /** The type of a wire name: PeerServer's constant, else a type that is neither relayed by PeerServer's rules nor queued. */
  public static MessageType of(String name) {
    MessageType known = fromWire(Objects.requireNonNull(name, "type"));
    return known != null ? known : new MessageType(name, false, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageType other && other.wire.equals(wire);
  }

  @Override
  public int hashCode() {
    return wire.hashCode();
  }

  /** The wire name. */
  @Override
  public String toString() {
    return wire;
  }
}

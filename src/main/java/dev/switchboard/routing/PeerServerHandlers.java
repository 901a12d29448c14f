package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;

/**
 * PeerServer 1.0's handling of the types a client sends: the default entries of {@link MessageHandlers},
 * here so an application can keep one while wrapping it, or give its own type the same relay.
 */
public final class PeerServerHandlers {

  /** HEARTBEAT: nothing beyond the sign of life every frame is. */
  public static final MessageHandler HEARTBEAT = (from, frame, broker) -> { };

  /** OFFER, ANSWER, CANDIDATE: {@link Broker#relay}; a frame without {@code dst} is refused with ERROR. */
  public static final MessageHandler RELAY = (from, frame, broker) -> broker.relay(from, frame);

  /**
   * LEAVE: relayed to {@code dst}, not queued. Without {@code dst} PeerServer removes the sender from its
   * registry but leaves the socket open and routing; a peer that leaves is gone, so it is also closed.
   */
  public static final MessageHandler LEAVE = (from, frame, broker) -> {
    if (frame.dst() == null) {
      broker.end(from, CloseReason.LEFT);
    } else {
      broker.relay(from, frame);
    }
  };

  /** EXPIRE from a client: relayed to {@code dst}, not queued; without {@code dst} ignored, as PeerServer does. */
  public static final MessageHandler EXPIRE = (from, frame, broker) -> {
    if (frame.dst() != null) {
      broker.relay(from, frame);
    }
  };

  private PeerServerHandlers() {
  }
}

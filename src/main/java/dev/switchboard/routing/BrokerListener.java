package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;

/**
 * What the routing core reports as it works, for embedding applications and metrics. Every method has
 * a no-op default; implementations must be quick and thread-safe (they run on event loops). Events are
 * fired once the core's locks are let go, so a listener may act through the {@link Broker}
 * ({@code Switchboard#broker()}): send to or end peers from inside an event.
 */
public interface BrokerListener {

  /** A peer got OPEN. */
  default void peerConnected(PeerLink peer) {
  }

  /** A connection was refused before it became a peer (bad key, id taken, limit …). */
  default void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
  }

  /** A peer's connection ended and its id is free (or taken over). */
  default void peerDisconnected(PeerLink peer, CloseReason reason) {
  }

  /** A message from {@code from} was delivered to {@code dst} at once. */
  default void messageRelayed(PeerLink from, MessageType type, String dst) {
  }

  /** A message was queued for an absent peer. */
  default void messageQueued(PeerLink from, MessageType type, String dst) {
  }

  /** Queued messages were handed to a peer that connected. */
  default void queuedDelivered(PeerLink to, int count) {
  }

  /** A sender was told with EXPIRE that {@code absentPeer} did not connect in time (or its queue was full). */
  default void messageExpired(String absentPeer, String sender) {
  }

  /** A client frame was refused as malformed or too big. */
  default void frameRejected(PeerLink from, String reason) {
  }

  /** A complete client frame of {@code bytes} bytes arrived from a peer (before it is decoded). */
  default void frameReceived(PeerLink from, int bytes) {
  }

  /**
   * An identity look-up finished: {@code result} is {@code hit} (answered from cache), {@code miss}
   * (checked now: a JWT locally, a session token by asking the service), {@code refused} (a bad token)
   * or {@code failure} (the backend could not answer); {@code nanos} is how long it took.
   */
  default void authLookup(String result, long nanos) {
  }

  /** A call was invited and its callee's devices rung (on the call's home node only). */
  default void callInvited(CallInfo call) {
  }

  /** The first device of a call rang. */
  default void callRinging(CallInfo call) {
  }

  /** A device accepted a call (for an inferred call: the ANSWER to its media OFFER). */
  default void callAccepted(CallInfo call) {
  }

  /** The first OFFER or ANSWER between an accepted call's two parties passed. */
  default void callMedia(CallInfo call) {
  }

  /** A call ended, with the reason the caller was given (docs/calls.md lists them). */
  default void callEnded(CallInfo call, String reason) {
  }
}

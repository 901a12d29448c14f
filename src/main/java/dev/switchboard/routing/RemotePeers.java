package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import io.vertx.core.Future;

import java.util.List;

/**
 * Peers held by other nodes of a cluster, as the router sees them: where to send a message whose
 * destination is not on this node, and where else messages for a peer may be waiting. A single node
 * has none ({@link #NONE}); the clustered implementation lives in {@code dev.switchboard.cluster}.
 */
public interface RemotePeers {

  /** No other nodes: every absent peer is absent everywhere. */
  RemotePeers NONE = new RemotePeers() {
    @Override
    public boolean forward(String from, MessageType type, String dst, byte[] message, long order) {
      return false;
    }

    @Override
    public Future<List<OfflineMailbox.Pending>> collectQueued(String id) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Boolean> receivedElsewhere(String id, String token, byte[] frame) {
      return Future.succeededFuture(false);
    }

    @Override
    public boolean end(String id, CloseReason reason) {
      return false;
    }
  };

  /**
   * Hands {@code message} to the node believed to hold {@code dst}, which delivers it or, if the peer
   * is gone from there too, queues it when {@code type} is {@linkplain MessageType#queuedWhenAbsent()
   * queued} (else drops it). {@code type} crosses by its wire name; {@code from} is empty for a message
   * the broker itself sends. Never blocks.
   *
   * @return {@code false} when no other node holds {@code dst}, so the caller queues or drops it
   */
  boolean forward(String from, MessageType type, String dst, byte[] message, long order);

  /**
   * Takes the messages queued on other nodes for {@code id}, which has just connected here; after this
   * those nodes send new messages for {@code id} here. Never fails: an unreachable node adds nothing.
   */
  Future<List<OfflineMailbox.Pending>> collectQueued(String id);

  /**
   * Hands a frame that peer {@code id} sent to this node, with {@code token}, to the node holding the
   * peer's connection (an XHR POST behind a load balancer without sticky sessions). The token is checked
   * against the registry here and, as a digest, again by the holder against its own link, which then
   * routes the frame exactly as if it had arrived there ({@link SignalRouter#receive}), liveness
   * included. Frames handed over by one node are routed in the order they were handed over.
   *
   * @return {@code true} once the holder routed the frame; {@code false} when no other node holds
   *     {@code id} under this token; failed when the holder failed or did not answer in time (the frame
   *     may or may not have been routed)
   */
  Future<Boolean> receivedElsewhere(String id, String token, byte[] frame);

  /**
   * Asks the node believed to hold {@code id} to end that peer with {@code reason}
   * ({@link SignalRouter#endHere} there). Never blocks.
   *
   * @return {@code false} when no other node holds {@code id}
   */
  boolean end(String id, CloseReason reason);

  /** The id of the node believed to hold {@code id}, or {@code null} (a single node has no others). Never blocks. */
  default String nodeOf(String id) {
    return null;
  }
}

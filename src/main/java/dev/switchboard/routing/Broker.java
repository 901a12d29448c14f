package dev.switchboard.routing;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;

/**
 * What a {@link MessageHandler} or a {@link BrokerListener} may ask of the broker: send to a peer, end a
 * peer, find a peer, read the time. Peers are named by id and may be connected to any node of a
 * cluster; every method may be called from any thread and never blocks.
 *
 * <p>An embedding application gets it from {@code Switchboard#broker()}; handlers are handed it with
 * each frame.
 */
public interface Broker {

  /**
   * Sends an encoded message (one JSON object, UTF-8) to peer {@code peerId}, on this node or on the
   * node that holds it. Nothing is queued: a peer that is not connected (or still being admitted)
   * does not get it.
   *
   * @return whether the message was handed to the peer's connection here or to the node that holds it
   */
  boolean send(String peerId, byte[] message);

  /**
   * Sends {@code {"type":type,"payload":payload}} to peer {@code peerId}, as {@link #send(String, byte[])}.
   * For types of the application's own (or a feature's): PeerJS keeps an unknown-type frame whose payload
   * has a {@code connectionId} until an OFFER of that connection arrives, forever if none does, so the
   * payload must not have one.
   *
   * @throws IllegalArgumentException when {@code type} is one of PeerServer's types (they have shapes
   *     PeerJS relies on; send them encoded), or {@code payload} has a {@code connectionId}
   * @throws NullPointerException when {@code payload} is null (PeerJS warns about frames without one)
   */
  boolean send(String peerId, String type, JsonObject payload);

  /**
   * Relays a peer's frame as PeerServer does: to {@code frame.dst()} with {@code src} set to the sender,
   * queued for an absent peer when its type is OFFER, ANSWER or CANDIDATE (the sender gets EXPIRE when it
   * waited too long), reported to listeners. A frame without {@code dst} is refused: the sender gets
   * ERROR "Invalid message: dst missing".
   */
  void relay(PeerLink from, ClientFrame frame);

  /** Ends a peer of this node: frees its id and closes its connection with {@code reason}. */
  void end(PeerLink peer, CloseReason reason);

  /**
   * Ends peer {@code peerId} wherever it is connected.
   *
   * @return whether a connection for it was known (here, or held by another node, which ends it)
   */
  boolean end(String peerId, CloseReason reason);

  /** Where peer {@code peerId} is connected, as far as this node knows now (cluster-wide in a cluster). */
  PeerLocation lookup(String peerId);

  /**
   * The ids of the peers connected for verified user {@code userId} (auth jwt or session), on this node
   * and, in a cluster, on every node as far as this node knows now (its view follows the registry's
   * events; no round trip). Peers without a verified user are never listed. Not for the relay path.
   */
  Future<List<String>> peersOfUser(String userId);

  /** The broker's clock (tests move it). */
  Clock clock();
}

package dev.switchboard.routing;

/**
 * Where a peer is connected, as {@link Broker#lookup} found it.
 *
 * @param link the peer's connection when it is on this node, else {@code null}
 * @param connected whether the peer is connected anywhere (this node or another of the cluster)
 * @param node the id of the cluster node believed to hold the peer when it is elsewhere and that is known,
 *     else {@code null}
 */
public record PeerLocation(PeerLink link, boolean connected, String node) {
  /** Not connected anywhere. */
  public static final PeerLocation NOWHERE = new PeerLocation(null, false, null);
  /** Connected to another node of the cluster (which one is not known). */
  public static final PeerLocation ELSEWHERE = new PeerLocation(null, true, null);

  public PeerLocation(PeerLink link, boolean connected) {
    this(link, connected, null);
  }

  /** Connected to cluster node {@code node}. */
  public static PeerLocation elsewhere(String node) {
    return node == null ? ELSEWHERE : new PeerLocation(null, true, node);
  }

  /** Connected to this node. */
  public static PeerLocation here(PeerLink link) {
    return new PeerLocation(link, true);
  }

  /** Whether the peer is connected to this node. */
  public boolean isHere() {
    return link != null;
  }

  /** Whether the peer is connected to another node of the cluster. */
  public boolean isElsewhere() {
    return link == null && connected;
  }
}

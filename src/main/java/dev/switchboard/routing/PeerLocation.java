package dev.switchboard.routing;

/**
 * Where a peer is connected, as {@link Broker#lookup} found it.
 *
 * @param link the peer's connection when it is on this node, else {@code null}
 * @param connected whether the peer is connected anywhere (this node or another of the cluster)
 */
public record PeerLocation(PeerLink link, boolean connected) {
  /** Not connected anywhere. */
  public static final PeerLocation NOWHERE = new PeerLocation(null, false);
  /** Connected to another node of the cluster. */
  public static final PeerLocation ELSEWHERE = new PeerLocation(null, true);

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

package dev.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.PeerDirectory;
import dev.switchboard.routing.RemotePeers;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.logging.Logger;

/**
 * A broker's membership in a cluster: the clustered directory and the node's event-bus address, on the
 * Hazelcast instance of the clustered Vert.x it runs in ({@link ClusteredVertx} makes one).
 */
public final class ClusterNode {
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

  private final ClusteredPeerDirectory directory;
  private final NodeBus bus;

  private ClusterNode(ClusteredPeerDirectory directory, NodeBus bus) {
    this.directory = directory;
    this.bus = bus;
  }

  /**
   * Joins the broker about to start in {@code vertx} to the cluster that Vert.x is a member of.
   *
   * @param concurrentLimit the most peers in the whole cluster
   */
  public static Future<ClusterNode> join(Vertx vertx, TakeoverRule takeoverRule, int concurrentLimit) {
    ClusterManager manager = vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
    if (!(manager instanceof HazelcastClusterManager)) {
      return Future.failedFuture(new IllegalStateException(
          "cluster mode needs a Vert.x clustered with the Hazelcast cluster manager (see ClusteredVertx)"));
    }
    HazelcastClusterManager hazelcastManager = (HazelcastClusterManager) manager;
    HazelcastInstance hazelcast = hazelcastManager.getHazelcastInstance();
    // The Vert.x node id, not the Hazelcast member UUID: it survives a split-brain merge (see Members).
    String self = hazelcastManager.getNodeId();
    ClusteredPeerDirectory directory = new ClusteredPeerDirectory(vertx, hazelcast, self, takeoverRule, concurrentLimit);
    NodeBus bus = new NodeBus(vertx, directory, directory::nodes);
    return directory.start().compose(v -> bus.start()).map(v -> {
      LOG.info(() -> "joined the cluster as node " + self + " (" + directory.nodes().size() + " nodes)");
      return new ClusterNode(directory, bus);
    });
  }

  public PeerDirectory directory() {
    return directory;
  }

  public RemotePeers remotePeers() {
    return bus;
  }

  /** This node's id in the cluster. */
  public String nodeId() {
    return directory.nodeId();
  }

  /** Connects the node to the router it serves. */
  public void attach(SignalRouter router) {
    bus.attach(router);
    directory.onLostElsewhere(link -> router.end(link, CloseReason.SUPERSEDED));
  }

  /** Leaves gracefully: this node's ids are removed from the registry at once. */
  public Future<Void> leave() {
    return bus.close().transform(v -> directory.close());
  }
}

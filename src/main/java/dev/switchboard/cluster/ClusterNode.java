package dev.switchboard.cluster;

import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.routing.PeerDirectory;
import dev.switchboard.routing.RemotePeers;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.TakeoverRule;
import dev.switchboard.transport.VertxInternals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A broker's membership in a cluster: the clustered directory and the node's event-bus address, on the
 * Hazelcast instance of the clustered Vert.x it runs in ({@link ClusteredVertx} makes one).
 */
public final class ClusterNode {
  private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

  private final ClusteredPeerDirectory directory;
  private final Reconciler reconciler;
  private final NodeBus bus;
  private final HazelcastInstance hazelcast;

  private ClusterNode(ClusteredPeerDirectory directory, Reconciler reconciler, NodeBus bus, HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.directory = directory;
    this.reconciler = reconciler;
    this.bus = bus;
  }

  /**
   * Joins the broker about to start in {@code vertx} to the cluster that Vert.x is a member of.
   *
   * @param concurrentLimit the most peers in the whole cluster
   * @param clusterSize the number of nodes the cluster is meant to have, for the quorum; 0 for the
   *     number of distinct TCP/IP members configured (1 if none)
   */
  public static Future<ClusterNode> join(Vertx vertx, TakeoverRule takeoverRule, int concurrentLimit, int clusterSize) {
    ClusterManager manager = VertxInternals.clusterManager(vertx);
    if (!(manager instanceof HazelcastClusterManager)) {
      return Future.failedFuture(new IllegalStateException(
          "cluster mode needs a Vert.x clustered with the Hazelcast cluster manager (see ClusteredVertx)"));
    }
    HazelcastClusterManager hazelcastManager = (HazelcastClusterManager) manager;
    HazelcastInstance hazelcast = hazelcastManager.getHazelcastInstance();
    // The Vert.x node id, not the Hazelcast member UUID: it survives a split-brain merge (see Members).
    String self = hazelcastManager.getNodeId();
    Quorum quorum = new Quorum(clusterSize > 0 ? clusterSize : configuredMembers(hazelcast));
    ClusteredPeerDirectory directory = new ClusteredPeerDirectory(vertx, hazelcast, self, takeoverRule, concurrentLimit, quorum);
    Reconciler reconciler = new Reconciler(vertx, hazelcast, directory);
    NodeBus bus = new NodeBus(vertx, directory, directory::nodes, reconciler::departed);
    return directory.start().compose(v -> reconciler.start()).compose(v -> bus.start()).map(v -> {
      LOG.info(() -> "joined the cluster as node " + self + " (" + quorum.describe(directory.nodes()) + ")");
      return new ClusterNode(directory, reconciler, bus, hazelcast);
    });
  }

  // Each member listed once, by the address it advertises (--cluster_host:--cluster_port).
  private static int configuredMembers(HazelcastInstance hazelcast) {
    TcpIpConfig tcp = hazelcast.getConfig().getNetworkConfig().getJoin().getTcpIpConfig();
    return tcp.isEnabled() ? Math.max(1, (int) tcp.getMembers().stream().distinct().count()) : 1;
  }

  /**
   * The Hazelcast member this node runs in, for cluster-wide state of features (rooms, presence, bans
   * keep their maps there). Never call its blocking methods on an event loop.
   */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public PeerDirectory directory() {
    return directory;
  }

  public RemotePeers remotePeers() {
    return bus;
  }

  /**
   * Whether this node's side of the cluster holds the quorum (docs/cluster.md): a side without it admits
   * no new peers, and features make no new claims on cluster-wide state there either.
   */
  public boolean holdsQuorum() {
    return directory.quorum().holds();
  }

  /** This node's id in the cluster. */
  public String nodeId() {
    return directory.nodeId();
  }

  /** The ids of the nodes in the cluster now, this one included. */
  public List<String> nodes() {
    return directory.nodes();
  }

  /**
   * Runs {@code action} with the id of each node that leaves this node's view of the cluster (it left,
   * crashed or was cut off by a split), after this node forgot its peers.
   */
  public void onNodeLeft(Consumer<String> action) {
    reconciler.onNodeLeft(action);
  }

  /**
   * Runs {@code action} with the id and verified user (or {@code null}) of each peer that connects on
   * another node, as the registry's events tell this node (on a Hazelcast event thread; must be quick).
   */
  public void onConnectedElsewhere(java.util.function.BiConsumer<String, String> action) {
    directory.onConnectedElsewhere(action);
  }

  /** Connects the node to the router it serves. */
  public void attach(SignalRouter router) {
    bus.attach(router);
    directory.onLost(router::end);
  }

  /**
   * Leaves gracefully: tells the other nodes (so they stop counting this one towards their quorum), then
   * removes this node's ids from the registry at once.
   */
  public Future<Void> leave() {
    return bus.sayGoodbye().transform(v -> bus.close()).transform(v -> reconciler.close())
        .transform(v -> directory.close());
  }
}

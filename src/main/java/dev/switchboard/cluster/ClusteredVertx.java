package dev.switchboard.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.Map;

import static dev.switchboard.cluster.ClusterSettings.CLUSTER_BUS_PORT;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_CONFIG;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_HOST;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_MEMBERS;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_NAME;
import static dev.switchboard.cluster.ClusterSettings.CLUSTER_PORT;

/**
 * Makes the clustered Vert.x a broker node runs in: an embedded Hazelcast member, joined over TCP/IP
 * to {@code --cluster_members} (multicast off), or configured entirely by a Hazelcast XML/YAML file
 * ({@code --cluster_config}, e.g. for Kubernetes discovery).
 */
public final class ClusteredVertx {
  /**
   * Hazelcast properties we set unless the JVM (-D) or the configuration file sets them. Failure
   * detection within seconds, so a killed node's ids come free quickly; a split that healed is merged
   * within seconds too (Hazelcast's own defaults look for the other side 300 s after start, then every
   * 120 s); our own shutdown hook leaves the cluster after telling peers, so Hazelcast's must not leave
   * first.
   */
  static final Map<String, String> PROPERTIES = Map.of(
      "hazelcast.heartbeat.interval.seconds", "1",
      "hazelcast.max.no.heartbeat.seconds", "5",
      "hazelcast.merge.first.run.delay.seconds", "10",
      "hazelcast.merge.next.run.delay.seconds", "5",
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.shutdownhook.enabled", "false",
      "hazelcast.phone.home.enabled", "false",
      "hazelcast.logging.type", "jdk");

  private ClusteredVertx() {
  }

  /** Starts a clustered Vert.x for a broker with these options. */
  public static Future<Vertx> start(SwitchboardOptions options, VertxOptions vertxOptions, VertxBuilder builder) {
    Config config;
    try {
      config = hazelcastConfig(options);
    } catch (RuntimeException | FileNotFoundException e) {
      return Future.failedFuture(e);
    }
    EventBusOptions bus = vertxOptions.getEventBusOptions().setPort(options.get(CLUSTER_BUS_PORT));
    if (options.get(CLUSTER_HOST) != null) {
      bus.setHost(options.get(CLUSTER_HOST)).setClusterPublicHost(options.get(CLUSTER_HOST));
    }
    return builder.with(vertxOptions).withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  /** The Hazelcast configuration the options describe. */
  public static Config hazelcastConfig(SwitchboardOptions options) throws FileNotFoundException {
    Config config;
    if (options.get(CLUSTER_CONFIG) != null) {
      config = Config.loadFromFile(new File(options.get(CLUSTER_CONFIG)));
    } else {
      config = ConfigUtil.loadConfig(); // Vert.x's defaults for its own maps
      config.setClusterName(options.get(CLUSTER_NAME));
      NetworkConfig network = config.getNetworkConfig();
      network.setPort(options.get(CLUSTER_PORT)).setPortAutoIncrement(false);
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
      options.get(CLUSTER_MEMBERS).forEach(tcp::addMember);
      if (options.get(CLUSTER_HOST) != null) {
        // Bind and advertise exactly this address, not whatever interface Hazelcast would pick.
        config.setProperty("hazelcast.local.localAddress", options.get(CLUSTER_HOST));
        config.setProperty("hazelcast.socket.bind.any", "false");
        tcp.addMember(options.get(CLUSTER_HOST) + ":" + options.get(CLUSTER_PORT));
      }
    }
    MergePolicyConfig merge = config.getMapConfig(ClusteredPeerDirectory.MAP).getMergePolicyConfig();
    if (MergePolicyConfig.DEFAULT_MERGE_POLICY.equals(merge.getPolicy())) {
      merge.setPolicy(NewestClaimMergePolicy.class.getName()); // unless the configuration file names one
    }
    MergePolicyConfig rooms = config.getMapConfig(dev.switchboard.rooms.RoomMergePolicy.MAP).getMergePolicyConfig();
    if (MergePolicyConfig.DEFAULT_MERGE_POLICY.equals(rooms.getPolicy())) {
      rooms.setPolicy(dev.switchboard.rooms.RoomMergePolicy.class.getName());
    }
    PROPERTIES.forEach((name, value) -> {
      if (config.getProperty(name) == null && System.getProperty(name) == null) {
        config.setProperty(name, value);
      }
    });
    return config;
  }
}

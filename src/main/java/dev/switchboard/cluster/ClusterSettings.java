package dev.switchboard.cluster;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.BOOL;
import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.STRING;
import static dev.switchboard.config.SettingType.STRINGS;

/** Running as one node of a cluster (Vert.x clustering with Hazelcast; docs/cluster.md). */
public final class ClusterSettings {
  public static final Setting<Boolean> CLUSTER = Setting.of("cluster", BOOL).defaultValue(false)
      .help("BOOL", "Join other brokers as one server (Vert.x clustering with Hazelcast).").build();
  /** Unset: Hazelcast picks one. */
  public static final Setting<String> CLUSTER_HOST = Setting.of("cluster_host", STRING)
      .help("HOST", "Address for cluster traffic, bound and advertised to the other nodes. Default: chosen by Hazelcast.")
      .build();
  public static final Setting<Integer> CLUSTER_PORT = Setting.of("cluster_port", INT).defaultValue(5701)
      .help("PORT", "Hazelcast member port.").check(v -> v > 0 && v <= 65535, "must be 1..65535").build();
  /** {@code host:port} over TCP/IP; multicast is never used. */
  public static final Setting<List<String>> CLUSTER_MEMBERS = Setting.of("cluster_members", STRINGS)
      .defaultValue(List.of())
      .help("HOST:PORT", "Members to join over TCP/IP (multicast is off); repeat or separate with commas.")
      .normalize(members -> members.stream().map(String::trim).toList())
      .rule(members -> members.stream().filter(m -> !m.matches("[^\\s:,]+(:\\d{1,5})?")).findFirst()
          .map(m -> "must be host or host:port, got " + m).orElse(null)).build();
  public static final Setting<String> CLUSTER_CONFIG = Setting.of("cluster_config", STRING)
      .help("FILE", "Hazelcast XML or YAML configuration to use instead of --cluster_port/--cluster_members "
          + "(e.g. Kubernetes discovery).").build();
  public static final Setting<String> CLUSTER_NAME = Setting.of("cluster_name", STRING).defaultValue("switchboard")
      .help("NAME", "Only nodes with the same cluster name join each other.")
      .check(v -> v != null && !v.isBlank(), "must not be empty").build();
  /** 0: any free port, advertised through Hazelcast. */
  public static final Setting<Integer> CLUSTER_BUS_PORT = Setting.of("cluster_bus_port", INT).defaultValue(0)
      .help("PORT", "Port of the event bus between nodes; 0 means any free port.")
      .check(v -> v >= 0 && v <= 65535, "must be 0..65535").build();
  public static final Setting<Integer> CLUSTER_SIZE = Setting.of("cluster_size", INT).defaultValue(0)
      .help("N", "Nodes the cluster is meant to have: a side of a split with more than half of them (or exactly half "
          + "with the senior node) admits new peers, the other refuses them. 0 counts --cluster_members.")
      .check(v -> v >= 0, "must be 0 (count cluster_members) or a number of nodes").build();

  public static final List<Setting<?>> ALL = List.of(CLUSTER, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS,
      CLUSTER_CONFIG, CLUSTER_NAME, CLUSTER_BUS_PORT, CLUSTER_SIZE);

  public static final Consumer<SwitchboardOptions> RULES = options -> Settings.check(
      options.get(CLUSTER_CONFIG) == null || options.get(CLUSTER_MEMBERS).isEmpty(), CLUSTER_MEMBERS,
      "give the members in the cluster_config file instead");

  private ClusterSettings() {
  }
}

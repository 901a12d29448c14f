package dev.switchboard.admin;

import dev.switchboard.auth.PeerGate;
import dev.switchboard.calls.CallService;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.rooms.RoomService;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.SignalRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.time.Clock;
import java.util.List;

import static dev.switchboard.admin.AdminSettings.ADMIN_TOKEN;
import static dev.switchboard.admin.AdminSettings.MAX_BANS;

/**
 * The admin API of one node (docs/admin-api.md): its routes on the metrics/admin port, the ban list every
 * connecting peer is checked against, and the per-node answers a cluster-wide question collects. Present
 * only with {@code --admin_token}.
 */
public final class AdminService {
  private final BanSync banSync;
  private final NodeAdmin nodes;
  private final AdminApi api;

  private AdminService(BanSync banSync, NodeAdmin nodes, AdminApi api) {
    this.banSync = banSync;
    this.nodes = nodes;
    this.api = api;
  }

  /**
   * Installs the admin API when {@code --admin_token} is set: every peer is checked against the bans
   * from now on. Answers {@code null} without a token.
   */
  public static AdminService install(Vertx vertx, SwitchboardOptions options, Clock clock, SignalRouter router,
                                     PeerGate gate, CallService calls, RoomService rooms, ClusterNode cluster) {
    if (options.get(ADMIN_TOKEN) == null) {
      return null;
    }
    Broker broker = router.broker();
    BanList bans = new BanList(clock);
    gate.addCheck(bans);
    NodeAdmin nodes = new NodeAdmin(vertx, cluster == null ? null : cluster.nodeId(),
        cluster == null ? List::of : cluster::nodes, () -> router.directory().links(),
        router.directory()::lookup, calls::calls, router::end);
    BanStore store = cluster == null ? BanStore.NONE : BanStore.hazelcast(vertx, cluster.hazelcast());
    BanSync sync = new BanSync(vertx, clock, bans, store, nodes::endPeersOf);
    AdminApi api = new AdminApi(options.get(ADMIN_TOKEN), clock, broker, bans, sync, nodes, new AdminRooms(rooms),
        options.get(MAX_BANS));
    return new AdminService(sync, nodes, api);
  }

  /** Starts listening for the cluster's ban changes and questions. */
  public Future<Void> start() {
    return nodes.start().compose(v -> banSync.start());
  }

  /** Adds the {@code /admin} routes to the metrics/admin port's router. */
  public Router mount(Router router) {
    return api.mount(router);
  }

  public void stop() {
    banSync.stop();
    nodes.stop();
  }
}

package dev.switchboard;

import dev.switchboard.admin.AdminService;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.calls.CallService;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.demo.DemoPage;
import dev.switchboard.http.HttpApi;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.presence.PresenceMetrics;
import dev.switchboard.presence.PresenceService;
import dev.switchboard.rooms.RoomMetrics;
import dev.switchboard.rooms.RoomService;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.ListenerSet;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.turn.TurnService;
import dev.switchboard.webhooks.WebhookMetrics;
import dev.switchboard.webhooks.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.time.Clock;

/**
 * What a broker offers beyond PeerServer, each feature in its own package and plugged into the core
 * through the handler registry, the listeners and {@link Departures}: calls, rooms, presence, TURN
 * credentials, webhooks, the admin API and the try-it page. Installed in dependency order (presence reads
 * rooms; the admin API reads calls and rooms) and closed in the reverse.
 */
final class Features {
  final Departures departures;
  final CallService calls;
  final RoomService rooms;
  final PresenceService presence;
  final TurnService turn;
  final Webhooks webhooks;
  final AdminService admin;
  final DemoPage demo;

  private Features(Departures departures, CallService calls, RoomService rooms, PresenceService presence,
                   TurnService turn, Webhooks webhooks, AdminService admin, DemoPage demo) {
    this.departures = departures;
    this.calls = calls;
    this.rooms = rooms;
    this.presence = presence;
    this.turn = turn;
    this.webhooks = webhooks;
    this.admin = admin;
    this.demo = demo;
  }

  /** @param metrics the broker's metrics, or null without */
  static Features install(Vertx vertx, SwitchboardOptions options, Clock clock, SignalRouter router, PeerGate gate,
                          ListenerSet listeners, ClusterNode cluster, OfflineMailbox mailbox,
                          SwitchboardMetrics metrics) {
    // "Peer X is gone" after --reconnect_grace (and other delays), shared by every feature.
    Departures departures = new Departures((ms, task) -> vertx.setTimer(Math.max(1, ms), t -> task.run()),
        router.broker());
    listeners.add(departures);
    CallService calls = CallService.install(vertx, options, router.broker(), router.handlers(), listeners,
        listeners::add, cluster, departures);
    RoomService rooms = RoomService.install(vertx, options, router.broker(), router.handlers(), listeners::add,
        cluster, departures, metrics == null ? RoomMetrics.NONE : metrics.rooms());
    PresenceService presence = PresenceService.install(vertx, options, router.broker(), router.handlers(),
        listeners::add, cluster, departures, rooms, metrics == null ? PresenceMetrics.NONE : metrics.broker());
    TurnService turn = TurnService.install(vertx, options, router.broker(), gate, listeners::add,
        metrics == null ? TurnService.Issued.NONE : metrics.broker()::turnCredentialsIssued);
    Webhooks webhooks = Webhooks.install(vertx, options, clock, listeners::add, departures, calls, rooms, mailbox,
        metrics == null ? WebhookMetrics.NONE : metrics.webhooks());
    AdminService admin = AdminService.install(vertx, options, clock, router, gate, calls, rooms, cluster);
    return new Features(departures, calls, rooms, presence, turn, webhooks, admin, DemoPage.load(options));
  }

  /** Starts what listens on the cluster before the broker takes peers (the admin API's ban list). */
  Future<Void> start() {
    return admin == null ? Future.succeededFuture() : admin.start();
  }

  /** Adds the features' routes to the public port's router ({@code GET {path}{key}/ice}, {@code /demo/}). */
  void mountPublic(Router routes) {
    turn.mount(routes);
    demo.mount(routes);
  }

  /** Who {@code GET {path}{key}/peers} lists to a caller (presence's scope). */
  HttpApi.VisiblePeers visiblePeers() {
    return presence::visiblePeers;
  }

  /** The metrics/admin port's router with the admin API's routes, when there is one. */
  Router mountAdmin(Router router) {
    return admin == null ? router : admin.mount(router);
  }

  /** Stops every feature's timers and cluster listeners, in the reverse of the install order. */
  Future<Void> close() {
    if (admin != null) {
      admin.stop();
    }
    webhooks.close();
    turn.close();
    return presence.close().transform(v -> rooms.close()).transform(v -> calls.close()).mapEmpty();
  }
}

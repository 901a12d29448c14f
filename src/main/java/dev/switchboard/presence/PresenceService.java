package dev.switchboard.presence;

import com.hazelcast.core.LifecycleEvent;
import dev.switchboard.auth.Identity;
import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.rooms.RoomChange;
import dev.switchboard.rooms.RoomListener;
import dev.switchboard.rooms.RoomMember;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.MessageHandlers;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.PeerLocation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static dev.switchboard.calls.CallSettings.RECONNECT_GRACE;
import static dev.switchboard.config.ServerSettings.ALLOW_DISCOVERY;
import static dev.switchboard.presence.PresenceSettings.PRESENCE_BATCH;
import static dev.switchboard.presence.PresenceSettings.PRESENCE_MAX_WATCH;

/**
 * Presence of one node (docs/rooms-presence.md): the PRESENCE-* handlers, the devices of every user in
 * a {@link PresenceStore} (cluster-wide in a cluster), each change published on the event bus to every
 * node, and each node's {@link Watchers} pushing to its own peers. A device counts from its OPEN until
 * it is gone for {@code --reconnect_grace} (so a reload is not a flap); it is busy while in an accepted
 * call; room mates see each other without watching.
 */
public final class PresenceService implements BrokerListener, RoomListener {
  private static final Logger LOG = Logger.getLogger(PresenceService.class.getName());
  /** The event-bus address changes are published on in a cluster. */
  static final String CLUSTER_ADDRESS = "switchboard.presence.changes";
  /** Records of users without devices are kept this long, so a version never goes back. */
  static final long KEEP_EMPTY_MS = 60_000;

  private final Vertx vertx;
  private final Broker broker;
  private final boolean auth;
  private final long graceMs;
  private final PresenceStore store;
  private final PresenceScope scope;
  private final Watchers watchers;
  private final String address;
  private final DeviceSweep sweep;
  private final MessageConsumer<JsonObject> consumer;

  private PresenceService(Vertx vertx, SwitchboardOptions options, Broker broker, PresenceStore store, String address,
                          Rooms rooms, PresenceMetrics metrics, Departures.Timers timers) {
    this.vertx = vertx;
    this.broker = broker;
    this.auth = options.isAuthEnabled();
    this.graceMs = options.get(RECONNECT_GRACE);
    this.store = store;
    this.address = address;
    this.scope = new PresenceScope(options.get(ALLOW_DISCOVERY), rooms);
    this.watchers = new Watchers(scope, timers, options.get(PRESENCE_BATCH), options.get(PRESENCE_MAX_WATCH),
        options.get(PresenceSettings.PRESENCE_MAX_WATCH_TOTAL),
        (peer, payload) -> broker.send(peer, "PRESENCE", payload), metrics);
    this.consumer = vertx.eventBus().<JsonObject>consumer(address, m -> watchers.changed(PresenceView.fromBus(m.body())));
    this.sweep = new DeviceSweep(vertx, store, broker, graceMs, this::publish);
  }

  /**
   * Installs presence on a switchboard: registers the PRESENCE-* handlers, adds itself as a listener
   * (peers, calls) and a room listener, and removes devices gone past {@code --reconnect_grace}.
   *
   * @param cluster the node's cluster membership, or {@code null} for a single broker
   * @param rooms the rooms whose members see each other; the scope's shared rooms
   */
  public static PresenceService install(Vertx vertx, SwitchboardOptions options, Broker broker, MessageHandlers handlers,
                                        Consumer<BrokerListener> listeners, ClusterNode cluster, Departures departures,
                                        Rooms rooms, PresenceMetrics metrics) {
    PresenceStore store = cluster == null ? new LocalPresenceStore(broker.clock())
        : new HazelcastPresenceStore(vertx, cluster.hazelcast(), broker.clock());
    // Brokers sharing one unclustered Vert.x (tests, embedding) must not hear each other's changes.
    String address = cluster == null ? CLUSTER_ADDRESS + "." + UUID.randomUUID() : CLUSTER_ADDRESS;
    Departures.Timers timers = (ms, task) -> vertx.setTimer(Math.max(1, ms), t -> task.run());
    PresenceService service = new PresenceService(vertx, options, broker, store, address, rooms, metrics, timers);
    handlers.register("PRESENCE-SET", (from, frame, b) -> service.receive(from, frame));
    handlers.register("PRESENCE-WATCH", (from, frame, b) -> service.receive(from, frame));
    handlers.register("PRESENCE-UNWATCH", (from, frame, b) -> service.receive(from, frame));
    departures.subscribe(options.get(RECONNECT_GRACE), gone ->
        service.change(gone.userId() != null ? gone.userId() : gone.peerId(), DeviceOp.remove(gone.peerId())));
    listeners.accept(service);
    rooms.addListener(service);
    if (cluster != null) {
      // After a heal the merged map may have lost this side's devices (docs/rooms-presence.md): put them back.
      cluster.hazelcast().getLifecycleService().addLifecycleListener(event -> {
        if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
          vertx.runOnContext(v -> service.reassert());
        }
      });
    }
    service.sweep.start();
    return service;
  }

  /** Stops the sweep and stops listening for changes. */
  public Future<Void> close() {
    sweep.stop();
    return consumer.unregister();
  }

  /** This node's peers watching at least one user. */
  public int watchers() {
    return watchers.watching();
  }

  /** A user's merged presence, as the store has it now (no scope applied: for the embedding application). */
  public Future<PresenceView> presenceOf(String user) {
    return store.get(user);
  }

  private String userOf(PeerLink link) {
    return link.userId() != null ? link.userId() : link.id();
  }

  private void receive(PeerLink from, ClientFrame frame) {
    String type = frame.typeName();
    try {
      switch (type) {
        case "PRESENCE-SET" -> {
          PresenceRequests.StatusSet set = PresenceRequests.set(frame.payload());
          change(userOf(from), DeviceOp.set(from.id(), set.status(), set.note()));
        }
        case "PRESENCE-WATCH" -> {
          List<String> visible = watchers.watch(from, PresenceRequests.users(type, frame.payload()));
          watchers.inOrder(from, () -> snapshot(from, visible));
        }
        case "PRESENCE-UNWATCH" -> watchers.unwatch(from, PresenceRequests.users(type, frame.payload()));
        default -> throw new PresenceError(PresenceError.INVALID, "not a presence request: " + type);
      }
    } catch (PresenceError e) {
      JsonObject error = new JsonObject().put("code", e.code()).put("msg", e.getMessage()).put("request", type);
      watchers.inOrder(from, () -> {
        broker.send(from.id(), "PRESENCE-ERROR", error);
        return Future.succeededFuture();
      });
    }
  }

  // The answer to a PRESENCE-WATCH: the views of the users of the request the watcher may see.
  private Future<Void> snapshot(PeerLink from, List<String> visible) {
    List<Future<PresenceView>> views = new ArrayList<>();
    for (String user : visible) {
      views.add(store.get(user));
    }
    return Future.join(views).transform(done -> {
      List<PresenceView> found = new ArrayList<>();
      for (Future<PresenceView> view : views) {
        if (view.succeeded()) {
          found.add(view.result());
        }
      }
      watchers.snapshot(from, found);
      return Future.succeededFuture();
    });
  }

  /** Applies a change to {@code user}'s devices and publishes the new view to every node if it changed. */
  private void change(String user, DeviceOp op) {
    store.apply(user, op).onComplete(applied -> {
      if (applied.failed()) {
        LOG.warning(() -> "presence of a user not updated (" + op.kind() + "): " + applied.cause());
      } else {
        publish(applied.result());
      }
    });
  }

  // A single node publishes only what one of its peers is to hear (most connects concern nobody); a
  // cluster publishes every change, as watchers on other nodes are not known here.
  private void publish(PresenceView view) {
    if (view != null && (vertx.isClustered() || watchers.anyoneCares(view.user()))) {
      vertx.eventBus().publish(address, view.toBus());
    }
  }

  private void reassert() {
    for (PeerLink link : watchers.links()) {
      change(userOf(link), DeviceOp.connect(link.id()));
    }
  }

  @Override
  public void peerConnected(PeerLink peer) {
    watchers.connected(peer, userOf(peer));
    change(userOf(peer), DeviceOp.connect(peer.id()));
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    watchers.disconnected(peer);
  }

  @Override
  public void callAccepted(CallInfo call) {
    if (call.acceptedPeer() != null) {
      callParty(call.callerPeer(), call.callerUser(), call, true);
      callParty(call.acceptedPeer(), call.calleeUser(), call, true);
    }
  }

  @Override
  public void callEnded(CallInfo call, String reason) {
    if (call.acceptedPeer() != null && call.acceptedAt() > 0) {
      callParty(call.callerPeer(), call.callerUser(), call, false);
      callParty(call.acceptedPeer(), call.calleeUser(), call, false);
    }
  }

  // The party's user: its link's here; else the call's (an inferred call names peers, not users, so
  // under auth a party on another node is left out).
  private void callParty(String peer, String user, CallInfo call, boolean start) {
    PeerLocation location = broker.lookup(peer);
    String partyUser = location.isHere() ? userOf(location.link()) : !auth ? peer : call.inferred() ? null : user;
    if (partyUser != null) {
      change(partyUser, start ? DeviceOp.callStart(peer, call.callId()) : DeviceOp.callEnd(peer, call.callId()));
    }
  }

  @Override
  public void roomChanged(RoomChange change) {
    RoomMember member = change.member();
    if (change.kind() == RoomChange.Kind.LEFT) {
      watchers.leftRoom(member.peerId(), change.roomId());
      return;
    }
    if (change.kind() != RoomChange.Kind.JOINED) {
      return; // a room created or closed: members come and go through JOINED and LEFT
    }
    watchers.joinedRoom(member.peerId(), change.roomId());
    boolean joinerHere = watchers.isLocal(member.peerId());
    List<String> othersHere = new ArrayList<>();
    for (RoomMember other : change.members()) {
      if (other.userId().equals(member.userId())) {
        continue;
      }
      if (joinerHere) {
        store.get(other.userId()).onSuccess(view -> watchers.offer(member.peerId(), view));
      }
      if (watchers.isLocal(other.peerId())) {
        othersHere.add(other.peerId());
      }
    }
    if (!othersHere.isEmpty()) {
      store.get(member.userId()).onSuccess(view -> othersHere.forEach(peer -> watchers.offer(peer, view)));
    }
  }

  /**
   * The peers {@code GET {path}{key}/peers} lists to a caller under auth: those of the users the caller
   * may see (itself, its contacts, its room mates), or {@code null} for all of them with
   * {@code --allow_discovery}.
   */
  public Future<List<String>> visiblePeers(Identity caller) {
    if (scope.everyone()) {
      return Future.succeededFuture(null);
    }
    List<Future<List<String>>> found = new ArrayList<>();
    for (String user : scope.visibleUsers(caller.userId(), caller.contacts())) {
      found.add(broker.peersOfUser(user));
    }
    return Future.all(found).map(all -> {
      Set<String> peers = new TreeSet<>();
      for (Future<List<String>> each : found) {
        peers.addAll(each.result());
      }
      return List.copyOf(peers);
    });
  }
}

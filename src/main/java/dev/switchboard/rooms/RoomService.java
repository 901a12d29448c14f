package dev.switchboard.rooms;

import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.MessageHandlers;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

import static dev.switchboard.calls.CallSettings.RECONNECT_GRACE;
import static dev.switchboard.rooms.RoomSettings.JWT_ROOMS_CLAIM;
import static dev.switchboard.rooms.RoomSettings.MAX_EMPTY_TIMEOUT_MS;
import static dev.switchboard.rooms.RoomSettings.MAX_ROOMS;
import static dev.switchboard.rooms.RoomSettings.MAX_ROOMS_PER_PEER;
import static dev.switchboard.rooms.RoomSettings.MIN_EMPTY_TIMEOUT_MS;
import static dev.switchboard.rooms.RoomSettings.ROOM_CAPACITY;
import static dev.switchboard.rooms.RoomSettings.ROOM_EMPTY_TIMEOUT;
import static dev.switchboard.rooms.RoomSettings.ROOM_MAX_CAPACITY;

/**
 * Rooms of one node (docs/rooms-presence.md): the ROOM-* handlers, the store (this node's memory, or the
 * cluster's map), this node's view of every room, the notifier that tells members and listeners of each
 * change, and the sweep. A change is one atomic step in the store; the node that made it applies the new
 * snapshot to its view at once and publishes it to the other nodes, which apply it to theirs.
 */
public final class RoomService implements Rooms, BrokerListener {
  private static final Logger LOG = Logger.getLogger(RoomService.class.getName());
  /** The client's frame types this service takes. */
  public static final Set<String> TYPES = Set.of("ROOM-CREATE", "ROOM-JOIN", "ROOM-LEAVE");
  static final long SWEEP_MS = 1_000;
  static final long RELOAD_MS = 10_000;

  private final Vertx vertx;
  private final Broker broker;
  private final boolean auth;
  private final String roomsClaim;
  private final int defaultCapacity;
  private final int maxCapacity;
  private final long defaultEmptyTimeout;
  private final int maxRoomsPerPeer;
  private final int maxRooms;
  private final RoomStore store;
  private final RoomView view = new RoomView();
  private final RoomNotifier notifier;
  private final RoomEvents events;
  private final RoomSweeper sweeper;
  private final RoomMetrics metrics;
  private final ConcurrentHashMap<String, AtomicInteger> joining = new ConcurrentHashMap<>();
  private final AtomicInteger creating = new AtomicInteger();
  private final java.util.function.BooleanSupplier quorum;
  private final long sweepTimer;
  private final long reloadTimer;

  private RoomService(Vertx vertx, SwitchboardOptions options, Broker broker, ClusterNode cluster, RoomMetrics metrics) {
    this.vertx = vertx;
    this.broker = broker;
    this.metrics = metrics;
    this.auth = options.isAuthEnabled();
    this.roomsClaim = options.get(JWT_ROOMS_CLAIM);
    this.defaultCapacity = options.get(ROOM_CAPACITY);
    this.maxCapacity = options.get(ROOM_MAX_CAPACITY);
    this.defaultEmptyTimeout = options.get(ROOM_EMPTY_TIMEOUT);
    this.maxRoomsPerPeer = options.get(MAX_ROOMS_PER_PEER);
    this.maxRooms = options.get(MAX_ROOMS);
    this.notifier = new RoomNotifier(broker);
    this.store = cluster == null ? new LocalRoomStore() : new ClusteredRoomStore(vertx, cluster.hazelcast());
    this.events = cluster == null ? null
        : new RoomEvents(vertx, cluster.nodeId(), cluster.hazelcast(), room -> take(room, false), this::reload);
    this.quorum = cluster == null ? () -> true : cluster::holdsQuorum;
    this.sweeper = new RoomSweeper(broker, store, view, options.get(RECONNECT_GRACE), this);
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> sweeper.sweep());
    this.reloadTimer = cluster == null ? -1 : vertx.setPeriodic(RELOAD_MS, t -> reload());
    metrics.bind(sweeper::rooms, sweeper::members);
    if (cluster != null) {
      reload();
    }
  }

  /**
   * Installs rooms on a switchboard: registers the ROOM-* handlers, and makes a peer gone for good (past
   * {@code --reconnect_grace}, through {@code departures}) or ended leave all its rooms.
   *
   * @param listeners where the service adds itself as a listener
   */
  public static RoomService install(Vertx vertx, SwitchboardOptions options, Broker broker, MessageHandlers handlers,
                                    Consumer<BrokerListener> listeners, ClusterNode cluster, Departures departures,
                                    RoomMetrics metrics) {
    RoomService service = new RoomService(vertx, options, broker, cluster, metrics);
    for (String type : TYPES) {
      handlers.register(type, (from, frame, b) -> service.receive(from, frame));
    }
    departures.subscribe(options.get(RECONNECT_GRACE), gone -> service.gone(gone.peerId()));
    listeners.accept(service);
    return service;
  }

  @Override
  public void addListener(RoomListener listener) {
    notifier.addListener(listener);
  }

  @Override
  public Set<String> roomMatesOf(String userId) {
    return view.roomMatesOf(userId);
  }

  /** The members' peer ids of room {@code roomId} as this node knows them now, or {@code null} for no room. */
  public java.util.List<String> membersOf(String roomId) {
    Room room = view.get(roomId);
    return room == null ? null : room.seats().stream().map(Room.Seat::peer).toList();
  }

  /** The room {@code roomId} as this node knows it now, or {@code null} for none. */
  public Room room(String roomId) {
    return view.get(roomId);
  }

  /** Every room, as this node knows them now (each node knows every room: its view follows the cluster's). */
  public java.util.List<Room> rooms() {
    return view.live();
  }

  /**
   * Removes a room for the application (the admin API): its members get ROOM-LEFT. Fails with a
   * {@link RoomError} ({@code not_found}, {@code unavailable}).
   */
  public Future<Void> remove(String roomId) {
    try {
      checkQuorum();
    } catch (RoomError e) {
      return Future.failedFuture(e);
    }
    return store.apply(roomId, new RoomOp.Remove(broker.clock().millis())).map(outcome -> {
      if (outcome.refused()) {
        throw outcome.error(roomId);
      }
      landed(outcome.room());
      return null;
    });
  }

  /** How many rooms exist, as this node knows now. */
  public int roomCount() {
    return view.size();
  }

  /**
   * Creates a room for the application (the admin API): {@code roomId} {@code null} for a generated one,
   * {@code capacity} and {@code emptyTimeoutMs} {@code null} for the defaults, {@code users} the only users
   * that may join ({@code null}: anyone; needs {@code --auth}). Fails with a {@link RoomError}.
   *
   * @return the room's id
   */
  public Future<String> create(String roomId, Integer capacity, Collection<String> users, Long emptyTimeoutMs) {
    try {
      checkQuorum();
      if (roomId != null) {
        RoomRequests.checkRoomId(roomId);
      }
      int seats = capacity == null ? defaultCapacity : capacity;
      long timeout = emptyTimeoutMs == null ? defaultEmptyTimeout : emptyTimeoutMs;
      if (seats < 1 || seats > maxCapacity) {
        throw new RoomError(RoomError.INVALID, roomId, "capacity must be 1 to " + maxCapacity);
      }
      if (timeout < MIN_EMPTY_TIMEOUT_MS || timeout > MAX_EMPTY_TIMEOUT_MS) {
        throw new RoomError(RoomError.INVALID, roomId, "emptyTimeoutMs must be " + MIN_EMPTY_TIMEOUT_MS + " to "
            + MAX_EMPTY_TIMEOUT_MS);
      }
      if (users != null && !auth) {
        throw new RoomError(RoomError.INVALID, roomId, "restricted rooms need --auth (without it nobody is a verified user)");
      }
      String id = roomId != null ? roomId : RoomRequests.newRoomId();
      return createRoom(id, seats, timeout, users == null ? null : Set.copyOf(users), null).map(Room::id);
    } catch (RoomError e) {
      return Future.failedFuture(e);
    }
  }

  /** Stops the timers and the cluster events. */
  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    return events == null ? Future.succeededFuture() : events.close();
  }

  private void receive(PeerLink from, ClientFrame frame) {
    JsonObject payload = frame.payload();
    try {
      checkQuorum();
      switch (frame.typeName()) {
        case "ROOM-CREATE" -> create(from, payload);
        case "ROOM-JOIN" -> join(from, payload);
        case "ROOM-LEAVE" -> leave(from.id(), RoomRequests.roomIdOf(payload));
        default -> throw new RoomError(RoomError.INVALID, null, "not a room request: " + frame.typeName());
      }
    } catch (RoomError e) {
      if ("ROOM-JOIN".equals(frame.typeName())) {
        metrics.joinRefused(e.code());
      }
      refuse(from.id(), e);
    }
  }

  // A side of a split without the quorum changes no room: the quorum side's rooms win at the heal.
  private void checkQuorum() {
    if (!quorum.getAsBoolean()) {
      throw new RoomError(RoomError.UNAVAILABLE, null, "cluster split: this server is cut off from most of the "
          + "cluster and changes no rooms now, try again later");
    }
  }

  private void create(PeerLink from, JsonObject payload) {
    RoomRequests.Create asked = RoomRequests.create(payload, defaultCapacity, maxCapacity, defaultEmptyTimeout);
    String roomId = asked.roomId() != null ? asked.roomId() : RoomRequests.newRoomId();
    if (view.emptyCreatedBy(from.id()) >= maxRoomsPerPeer) {
      throw new RoomError(RoomError.LIMIT, roomId, "this peer created " + maxRoomsPerPeer
          + " rooms that nobody joined yet (--max_rooms_per_peer)");
    }
    createRoom(roomId, asked.capacity(), asked.emptyTimeoutMs(), restriction(from, roomId), from.id())
        .onSuccess(room -> broker.send(from.id(), "ROOM-CREATED",
            new JsonObject().put("roomId", room.id()).put("capacity", room.capacity())))
        .onFailure(failure -> refuse(from.id(), asError(failure, roomId)));
  }

  // Under auth jwt, a room listed in the creator's rooms claim admits those users and the creator only.
  private Set<String> restriction(PeerLink from, String roomId) {
    if (!auth || roomsClaim == null || from.claims() == null || from.userId() == null) {
      return null;
    }
    Set<String> listed = RoomRequests.listedUsers(from.claims().getValue(roomsClaim), roomId);
    if (listed == null) {
      return null;
    }
    Set<String> users = new HashSet<>(listed);
    users.add(from.userId());
    return users;
  }

  private Future<Room> createRoom(String roomId, int capacity, long emptyTimeoutMs, Set<String> users, String creator) {
    // --max_rooms counts from this node's view plus its own creations in flight (docs: the precision).
    if (view.size() + creating.get() >= maxRooms) {
      return Future.failedFuture(new RoomError(RoomError.LIMIT, roomId, "the server holds " + maxRooms
          + " rooms (--max_rooms)"));
    }
    creating.incrementAndGet();
    RoomOp op = new RoomOp.Create(roomId, capacity, emptyTimeoutMs, users, creator, broker.clock().millis());
    return store.apply(roomId, op).andThen(done -> creating.decrementAndGet()).map(outcome -> {
      if (outcome.refused()) {
        throw outcome.error(roomId);
      }
      landed(outcome.room());
      return outcome.room();
    });
  }

  private void join(PeerLink from, JsonObject payload) {
    String roomId = RoomRequests.roomIdOf(payload);
    String peer = from.id();
    String user = auth && from.userId() != null ? from.userId() : peer;
    AtomicInteger inFlight = joining.computeIfAbsent(peer, p -> new AtomicInteger());
    Set<String> in = view.roomsOf(peer);
    if (!in.contains(roomId) && in.size() + inFlight.get() >= maxRoomsPerPeer) {
      throw new RoomError(RoomError.LIMIT, roomId, "this peer is in " + maxRoomsPerPeer + " rooms (--max_rooms_per_peer)");
    }
    inFlight.incrementAndGet();
    store.apply(roomId, new RoomOp.Join(peer, user)).onComplete(done -> {
      if (inFlight.decrementAndGet() == 0) {
        joining.remove(peer, inFlight);
      }
      if (done.failed() || done.result().refused()) {
        RoomError error = done.failed() ? asError(done.cause(), roomId) : done.result().error(roomId);
        metrics.joinRefused(error.code());
        refuse(peer, error);
      } else if (done.result().changed()) {
        landed(done.result().room()); // the notifier sends ROOM-JOINED
      } else {
        broker.send(peer, "ROOM-JOINED", RoomNotifier.joined(done.result().room(), peer));
      }
    });
  }

  private void leave(String peer, String roomId) {
    store.apply(roomId, new RoomOp.Leave(peer, broker.clock().millis())).onComplete(done -> {
      if (done.failed() || done.result().refused()) {
        refuse(peer, done.failed() ? asError(done.cause(), roomId) : done.result().error(roomId));
      } else {
        landed(done.result().room()); // the notifier sends ROOM-LEFT
      }
    });
  }

  /** {@code peer} is gone for good, or was ended: it leaves every room it is in. */
  void gone(String peer) {
    for (String roomId : view.roomsOf(peer)) {
      carryOut(roomId, new RoomOp.Leave(peer, broker.clock().millis()));
    }
  }

  /** Runs a step that nobody waits for (a departure, the sweep); a change lands as any other. */
  void carryOut(String roomId, RoomOp op) {
    if (!quorum.getAsBoolean()) {
      return;
    }
    store.apply(roomId, op).onComplete(done -> {
      if (done.succeeded() && done.result().changed() && done.result().room() != null) {
        landed(done.result().room());
      } else if (done.failed()) {
        LOG.fine(() -> "room step " + op + " on " + roomId + " failed: " + done.cause());
      }
    });
  }

  // A change this node made: into its own view now, and to every other node.
  private void landed(Room room) {
    take(room, true);
    if (events != null) {
      events.publish(room);
    }
  }

  // One lock for the view and what the change sends, so each room's frames and events keep their order.
  private void take(Room room, boolean origin) {
    synchronized (view) {
      notifier.changed(view.apply(room, broker.clock().millis()), origin);
    }
  }

  private void reload() {
    long since = broker.clock().millis();
    store.all().onSuccess(rooms -> {
      synchronized (view) {
        view.reload(rooms, since, broker.clock().millis()).forEach(change -> notifier.changed(change, false));
      }
    }).onFailure(failure -> LOG.fine(() -> "reloading the rooms failed: " + failure));
  }

  private static RoomError asError(Throwable failure, String roomId) {
    if (failure instanceof RoomError error) {
      return error.roomId() != null || roomId == null ? error : new RoomError(error.code(), roomId, error.getMessage());
    }
    LOG.fine(() -> "room store failed: " + failure);
    return new RoomError(RoomError.UNAVAILABLE, roomId, "rooms are unavailable now, try again");
  }

  private void refuse(String peer, RoomError e) {
    JsonObject payload = new JsonObject();
    if (e.roomId() != null) {
      payload.put("roomId", e.roomId());
    }
    broker.send(peer, "ROOM-ERROR", payload.put("code", e.code()).put("msg", e.getMessage()));
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    // A LEAVE without dst: the client said it is going (PeerJS destroy()), no reconnect to wait for.
    if (reason == CloseReason.LEFT) {
      gone(peer.id());
    }
  }
}

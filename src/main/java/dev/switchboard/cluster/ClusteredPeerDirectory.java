package dev.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.Admission;
import dev.switchboard.routing.PeerDirectory;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.TakeoverRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The directory of one node of a cluster. The Hazelcast map {@value #MAP} (id → {@link PeerRecord}) is
 * the truth about who holds an id: a claim wins only through an atomic {@code putIfAbsent} or
 * {@code replace(id, seen, mine)} on it, so no two nodes ever both accept one id, and only while this
 * node's side of the cluster holds the {@link Quorum}. Beside it each node keeps its own links (for
 * delivery, with no cluster round-trip) and a view of where every id is, updated at once for its own
 * peers and by map events, which carry the node id, for the others'. The {@link Reconciler} brings
 * both back in line with the registry after a member leaves or a split heals.
 */
public final class ClusteredPeerDirectory implements PeerDirectory {
  static final String MAP = "switchboard.peers";
  private static final Logger LOG = Logger.getLogger(ClusteredPeerDirectory.class.getName());
  private static final int STRIPES = 64;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> registry;
  private final String self;
  private final TakeoverRule takeoverRule;
  private final int concurrentLimit;
  private final Quorum quorum;
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> where = new ConcurrentHashMap<>();
  private final Redirects redirects = new Redirects();
  private final UserView users = new UserView();
  private final Object[] claimLocks = new Object[STRIPES];
  private volatile BiConsumer<PeerLink, CloseReason> lost = (link, reason) -> link.close(reason);
  private volatile BiConsumer<String, String> connectedElsewhere = (id, user) -> { };
  private UUID entryListener;

  /** A link on this node and the record it was registered with. */
  record Held(PeerLink link, String record) {
  }

  ClusteredPeerDirectory(Vertx vertx, HazelcastInstance hazelcast, String self, TakeoverRule takeoverRule,
                         int concurrentLimit, Quorum quorum) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.registry = hazelcast.getMap(MAP);
    this.self = self;
    this.takeoverRule = takeoverRule;
    this.concurrentLimit = concurrentLimit;
    this.quorum = quorum;
    for (int i = 0; i < STRIPES; i++) {
      claimLocks[i] = new Object();
    }
  }

  /** Starts following the registry; completes once the view is loaded. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      entryListener = registry.addEntryListener(new RegistryEvents(this), true);
      reloadView();
      return null;
    }, false);
  }

  /** What to do with a link of this node whose id went to another connection elsewhere, and why. */
  void onLost(BiConsumer<PeerLink, CloseReason> action) {
    this.lost = action;
  }

  /** What to do when the registry says peer id (of a user, or null) connected on another node. */
  void onConnectedElsewhere(BiConsumer<String, String> action) {
    this.connectedElsewhere = action;
  }

  /** This node's id in the cluster: its Vert.x node id, which survives a merge (see {@link Members}). */
  String nodeId() {
    return self;
  }

  IMap<String, String> registry() {
    return registry;
  }

  Quorum quorum() {
    return quorum;
  }

  /** The node believed to hold {@code id}, or {@code null}; read on the relay path, never blocks. */
  String nodeOf(String id) {
    String moved = redirects.nodeOf(id);
    return moved != null ? moved : where.get(id);
  }

  /** Another node told us {@code id} connected there: send there from now on ({@link Redirects}). */
  void movedTo(String id, String node) {
    redirects.moved(id, node);
  }

  @Override
  public Future<Admission> claim(PeerLink link) {
    return vertx.executeBlocking(() -> claimNow(link), false);
  }

  /** The lock that serializes claims and reconciliation of one id on this node. */
  Object lockFor(String id) {
    return claimLocks[(id.hashCode() & 0x7fffffff) % STRIPES];
  }

  // Claims on one node for one id are serialized, so a claim never mistakes a just-admitted local link
  // for a stale record; between nodes only the map's atomic operations decide.
  private Admission claimNow(PeerLink link) {
    if (!quorum.update(Members.view(hazelcast))) {
      return Admission.NO_QUORUM;
    }
    String id = link.id();
    String mine = PeerRecord.of(self, link.token(), link.userId(), System.currentTimeMillis()).encode();
    synchronized (lockFor(id)) {
      while (true) {
        String current = registry.get(id);
        Admission admission;
        if (current == null) {
          // Cluster-wide limit: the map's size, read before the put; see docs/cluster.md for its precision.
          if (registry.size() >= concurrentLimit) {
            return Admission.LIMIT;
          }
          if (registry.putIfAbsent(id, mine) != null) {
            continue;
          }
          admission = Admission.OPENED;
        } else {
          PeerRecord holder = PeerRecord.parse(current);
          Held local = holder.node().equals(self) ? held.get(id) : null;
          boolean live = holder.node().equals(self)
              ? local != null && local.record().equals(current) && !local.link().isClosed()
              : memberIds().contains(holder.node());
          if (live) {
            PeerLink holderView = local != null ? local.link() : new RegisteredPeer(id, holder);
            PeerLink claimantView = local != null ? link : new RegisteredPeer(id, PeerRecord.parse(mine));
            if (!takeoverRule.mayReplace(holderView, claimantView)) {
              return Admission.TAKEN;
            }
          }
          if (!registry.replace(id, current, mine)) {
            continue;
          }
          // A live holder on this node is closed by the router; one elsewhere by its node, on the map event.
          admission = !live ? Admission.OPENED : Admission.replaced(local != null ? local.link() : null);
        }
        held.put(id, new Held(link, mine));
        where.put(id, self);
        users.local(id, link.userId());
        return admission;
      }
    }
  }

  /**
   * The registry's record for {@code id}, or {@code null}: the truth, not this node's view, read without
   * blocking (a Hazelcast round trip, completed on the caller's context). Not for the relay path.
   */
  Future<PeerRecord> recordOf(String id) {
    return Future.fromCompletionStage(registry.getAsync(id), vertx.getOrCreateContext())
        .map(encoded -> encoded == null ? null : PeerRecord.parse(encoded));
  }

  @Override
  public PeerLink lookup(String id) {
    Held h = held.get(id);
    return h == null ? null : h.link();
  }

  @Override
  public boolean remove(PeerLink link) {
    Held h = held.get(link.id());
    if (h == null || h.link() != link || !held.remove(link.id(), h)) {
      return false;
    }
    where.remove(link.id(), self);
    users.localGone(link.id(), link.userId());
    // Conditional on our exact record: a takeover that already replaced it is left alone.
    vertx.executeBlocking(() -> registry.remove(link.id(), h.record()), false)
        .onFailure(e -> LOG.log(Level.WARNING, "could not unregister peer " + link.id(), e));
    return true;
  }

  @Override
  public boolean contains(String id) {
    return where.containsKey(id);
  }

  @Override
  public Collection<String> ids() {
    return Collections.unmodifiableSet(where.keySet());
  }

  @Override
  public Collection<PeerLink> links() {
    return held.values().stream().map(Held::link).collect(Collectors.toUnmodifiableList());
  }

  @Override
  public Future<List<String>> peersOfUser(String userId) {
    return Future.succeededFuture(users.idsOf(userId, this::userOf));
  }

  // The user now holding id in this node's view: its own link's, or the record's of another node.
  private String userOf(String id) {
    Held h = held.get(id);
    if (h != null) {
      return h.link().userId();
    }
    String node = where.get(id);
    return node == null || node.equals(self) ? null : users.remoteUser(id);
  }

  @Override
  public int size() {
    return where.size();
  }

  /** The links of this node with the records they were admitted under. */
  Map<String, Held> held() {
    return Map.copyOf(held);
  }

  /** The link {@code id} holds here now, if any (under {@link #lockFor} to act on it safely). */
  Held heldNow(String id) {
    return held.get(id);
  }

  /**
   * {@code h}'s id went to {@code record} of another connection (a takeover elsewhere, or a merge after a
   * split): the link forgets it and is ended with {@code reason}, leaving the registry as it is.
   */
  void lose(String id, Held h, String record, CloseReason reason) {
    if (!held.remove(id, h)) {
      return;
    }
    String node = PeerRecord.parse(record).node();
    users.localGone(id, h.link().userId());
    if (node.equals(self)) {
      where.remove(id, self);
    } else {
      where.put(id, node);
      users.remote(id, PeerRecord.parse(record));
    }
    LOG.info(() -> "peer " + id + " lost its id to a connection on node " + node + ": " + reason.text());
    lost.accept(h.link(), reason);
  }

  /**
   * How a link that lost its id to {@code record} after a split is told: as a takeover when the other
   * connection came with the same token (the client reconnected elsewhere during the split), else as a
   * cluster conflict.
   */
  static CloseReason reasonFor(Held h, String record) {
    return PeerRecord.parse(h.record()).tokenDigest().equals(PeerRecord.parse(record).tokenDigest())
        ? CloseReason.SUPERSEDED : CloseReason.CLUSTER_CONFLICT;
  }

  /** Removes every record of this node at once (graceful shutdown) and stops following the registry. */
  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      held.clear();
      registry.removeAll(Predicates.like("this", PeerRecord.ofNodePattern(self)));
      if (entryListener != null) {
        registry.removeEntryListener(entryListener);
      }
      return null;
    }, false);
  }

  /** The ids of the nodes in the cluster now, this one included. */
  List<String> nodes() {
    return Members.view(hazelcast);
  }

  private Set<String> memberIds() {
    return Set.copyOf(Members.view(hazelcast));
  }

  /** Forgets where the peers of a node that left were; its records are removed by the {@link Reconciler}. */
  int forgetNode(String node) {
    int before = where.size();
    where.values().removeIf(node::equals);
    users.dropRemote(id -> !where.containsKey(id));
    redirects.forgetNode(node);
    return before - where.size();
  }

  /** Whether this node's view holds as many ids as the registry (blocking: asks the cluster). */
  boolean viewMatchesRegistry() {
    return registry.size() == where.size();
  }

  /**
   * Rebuilds the view of other nodes' peers from the registry (blocking): on start and after the
   * membership changed or a split healed, when map events may have been missed or merged away.
   */
  void reloadView() {
    Set<String> members = memberIds();
    Map<String, String> seen = new HashMap<>();
    Map<String, PeerRecord> records = new HashMap<>();
    for (Map.Entry<String, String> entry : registry.entrySet()) {
      PeerRecord record = PeerRecord.parse(entry.getValue());
      String node = record.node();
      if (!node.equals(self) && members.contains(node)) {
        seen.put(entry.getKey(), node);
        records.put(entry.getKey(), record);
      }
    }
    where.entrySet().removeIf(e -> !e.getValue().equals(self) && !seen.containsKey(e.getKey()));
    seen.forEach((id, node) -> {
      if (!held.containsKey(id)) {
        where.put(id, node);
        users.remote(id, records.get(id));
      }
    });
    users.dropRemote(id -> !where.containsKey(id) || held.containsKey(id));
  }

  /** Another node holds {@code id} now, by {@code record}: the view follows and listeners hear of it. */
  void seenElsewhere(String id, PeerRecord record) {
    where.put(id, record.node());
    users.remote(id, record);
    connectedElsewhere.accept(id, record.userId());
  }

  /** The record of {@code id} that {@code node} held is gone from the registry. */
  void goneFrom(String id, String node) {
    redirects.settled(id, node);
    if (!node.equals(self) && where.remove(id, node)) {
      users.remoteGone(id);
    }
  }

  /** A registry event about {@code id} settled where it is (redirected relays may go on). */
  void settled(String id, String node) {
    redirects.settled(id, node);
  }
}

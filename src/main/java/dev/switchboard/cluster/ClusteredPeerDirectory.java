package dev.switchboard.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicates;
import dev.switchboard.routing.Admission;
import dev.switchboard.routing.PeerDirectory;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.TakeoverRule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The directory of one node of a cluster. The Hazelcast map {@value #MAP} (id → {@link PeerRecord}) is
 * the truth about who holds an id: a claim wins only through an atomic {@code putIfAbsent} or
 * {@code replace(id, seen, mine)} on it, so no two nodes ever both accept one id. Beside it each node
 * keeps its own links (for delivery, with no cluster round-trip) and a view of where every id is,
 * updated at once for its own peers and by map events, which carry the node id, for the others'.
 *
 * <p>When a member leaves (killed or stopped), every node drops that member's records.
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
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> where = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Redirect> redirects = new ConcurrentHashMap<>();
  private final Object[] claimLocks = new Object[STRIPES];
  private volatile Consumer<PeerLink> lostElsewhere = link -> link.close(dev.switchboard.protocol.CloseReason.SUPERSEDED);
  private UUID entryListener;
  private UUID membershipListener;

  /** A link on this node and the record it was registered with. */
  private record Held(PeerLink link, String record) {
  }

  /** "This id just connected on that node", heard from the node itself ahead of the map event. */
  private record Redirect(String node, long until) {
  }

  /** How long a redirect stands if no map event about its node confirms or ends it first. */
  private static final long REDIRECT_MS = 5_000;

  ClusteredPeerDirectory(Vertx vertx, HazelcastInstance hazelcast, String self, TakeoverRule takeoverRule,
                         int concurrentLimit) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.registry = hazelcast.getMap(MAP);
    this.self = self;
    this.takeoverRule = takeoverRule;
    this.concurrentLimit = concurrentLimit;
    for (int i = 0; i < STRIPES; i++) {
      claimLocks[i] = new Object();
    }
  }

  /** Starts following the registry and the membership; completes once the view is loaded. */
  Future<Void> start() {
    return vertx.executeBlocking(() -> {
      entryListener = registry.addEntryListener(new RegistryEvents(), true);
      membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipEvents());
      Set<String> members = memberIds();
      for (Map.Entry<String, String> entry : registry.entrySet()) {
        PeerRecord record = PeerRecord.parse(entry.getValue());
        if (!members.contains(record.node())) {
          continue; // left over from a member that is gone; dropped below
        }
        if (!record.node().equals(self)) {
          where.putIfAbsent(entry.getKey(), record.node());
        }
      }
      registry.entrySet().stream().map(e -> PeerRecord.parse(e.getValue()).node())
          .filter(node -> !members.contains(node)).distinct().forEach(this::dropNode);
      return null;
    }, false);
  }

  /** What to do with a link of this node whose id another node took over (same token, elsewhere). */
  void onLostElsewhere(Consumer<PeerLink> action) {
    this.lostElsewhere = action;
  }

  /** This node's id in the cluster: its Vert.x node id, which survives a merge (see {@link Members}). */
  String nodeId() {
    return self;
  }

  /** The node believed to hold {@code id}, or {@code null}; read on the relay path, never blocks. */
  String nodeOf(String id) {
    if (!redirects.isEmpty()) {
      Redirect redirect = redirects.get(id);
      if (redirect != null) {
        if (System.currentTimeMillis() < redirect.until()) {
          return redirect.node();
        }
        redirects.remove(id, redirect);
      }
    }
    return where.get(id);
  }

  /**
   * Another node told us {@code id} connected there: send there from now on, even before the map event
   * arrives (events from before the move may still be on their way). The next event that names that
   * node for this id, or a few seconds, end the redirect.
   */
  void movedTo(String id, String node) {
    redirects.put(id, new Redirect(node, System.currentTimeMillis() + REDIRECT_MS));
  }

  private void settled(String id, String node) {
    Redirect redirect = redirects.get(id);
    if (redirect != null && redirect.node().equals(node)) {
      redirects.remove(id, redirect);
    }
  }

  @Override
  public Future<Admission> claim(PeerLink link) {
    return vertx.executeBlocking(() -> claimNow(link), false);
  }

  // Claims on one node for one id are serialized, so a claim never mistakes a just-admitted local link
  // for a stale record; between nodes only the map's atomic operations decide.
  private Admission claimNow(PeerLink link) {
    String id = link.id();
    String mine = PeerRecord.of(self, link.token(), link.userId()).encode();
    synchronized (claimLocks[(id.hashCode() & 0x7fffffff) % STRIPES]) {
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
  public int size() {
    return where.size();
  }

  /** Removes every record of this node at once (graceful shutdown) and stops following the cluster. */
  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      held.clear();
      registry.removeAll(Predicates.like("this", PeerRecord.ofNodePattern(self)));
      if (entryListener != null) {
        registry.removeEntryListener(entryListener);
      }
      if (membershipListener != null) {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      }
      return null;
    }, false);
  }

  /** The ids of the nodes in the cluster now, this one included. */
  List<String> nodes() {
    return List.copyOf(memberIds());
  }

  private Set<String> memberIds() {
    return Set.copyOf(Members.view(hazelcast));
  }

  private void dropNode(String node) {
    int before = where.size();
    where.values().removeIf(node::equals);
    redirects.values().removeIf(redirect -> redirect.node().equals(node));
    int dropped = before - where.size();
    vertx.executeBlocking(() -> {
      registry.removeAll(Predicates.like("this", PeerRecord.ofNodePattern(node)));
      return null;
    }, false).onFailure(e -> LOG.log(Level.WARNING, "could not drop the peers of node " + node, e));
    LOG.info(() -> "node " + node + " left the cluster; its " + dropped + " peers are dropped");
  }

  // Events for our own records are ignored: we updated our view when we wrote them.
  private final class RegistryEvents implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      String node = PeerRecord.parse(event.getValue()).node();
      if (!node.equals(self)) {
        where.put(event.getKey(), node);
      }
      settled(event.getKey(), node);
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      String node = PeerRecord.parse(event.getValue()).node();
      settled(event.getKey(), node);
      if (node.equals(self)) {
        return;
      }
      where.put(event.getKey(), node);
      Held h = held.get(event.getKey());
      if (h != null && h.record().equals(event.getOldValue())) {
        lostElsewhere.accept(h.link()); // taken over on another node with the same token
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      forget(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      forget(event);
    }

    private void forget(EntryEvent<String, String> event) {
      if (event.getOldValue() != null) {
        String node = PeerRecord.parse(event.getOldValue()).node();
        settled(event.getKey(), node);
        if (!node.equals(self)) {
          where.remove(event.getKey(), node);
        }
      }
    }
  }

  private final class MembershipEvents implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      LOG.info(() -> "node " + Members.nodeIdOf(event.getMember()) + " joined the cluster at " + event.getMember().getAddress());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      String node = Members.nodeIdOf(event.getMember());
      if (node != null) {
        dropNode(node);
      }
    }
  }
}

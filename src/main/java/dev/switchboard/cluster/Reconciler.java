package dev.switchboard.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this node's links, its view and the registry in line when the membership changes or a split
 * heals (on Hazelcast's membership and {@code MERGED} lifecycle events) and every
 * {@value #PERIOD_MS} ms in case an event was missed:
 * <ul>
 *   <li>a link whose id the registry now gives to another connection is told
 *   ({@link dev.switchboard.protocol.CloseReason#CLUSTER_CONFLICT}, or
 *   {@link dev.switchboard.protocol.CloseReason#SUPERSEDED} when it came back with the same token) and
 *   closed;</li>
 *   <li>a link whose record the merge lost is put back ({@code putIfAbsent}: a claim made since wins);</li>
 *   <li>records naming this node that no link of it holds are removed;</li>
 *   <li>records of nodes that are no longer members are removed, by their node id, on the side that
 *   holds the quorum;</li>
 *   <li>after a membership change or a merge, the view of the other nodes' peers is reloaded.</li>
 * </ul>
 */
final class Reconciler implements MembershipListener, LifecycleListener {
  static final long PERIOD_MS = 10_000;
  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  private static final int BATCH = 500;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final ClusteredPeerDirectory directory;
  private final IMap<String, String> registry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile boolean merging;
  private final java.util.List<java.util.function.Consumer<String>> nodeLeft = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean lastHeld = true;
  private UUID membershipListener;
  private UUID lifecycleListener;
  private long timer = -1;

  Reconciler(Vertx vertx, HazelcastInstance hazelcast, ClusteredPeerDirectory directory) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.directory = directory;
    this.registry = directory.registry();
  }

  Future<Void> start() {
    return vertx.<Void>executeBlocking(() -> {
      membershipListener = hazelcast.getCluster().addMembershipListener(this);
      lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(this);
      List<String> view = Members.view(hazelcast);
      lastHeld = directory.quorum().update(view);
      if (!lastHeld) {
        LOG.info(() -> "this node does not hold the quorum yet (" + directory.quorum().describe(view)
            + "): new peers are refused until more nodes join");
      }
      dropDeadRecords();
      return null;
    }, false).onSuccess(v -> timer = vertx.setPeriodic(PERIOD_MS, t -> reconcile(false)));
  }

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return vertx.executeBlocking(() -> {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      return null;
    }, false);
  }

  /** Runs {@code action} with the node id of each member that leaves this node's view (gone or cut off). */
  void onNodeLeft(java.util.function.Consumer<String> action) {
    nodeLeft.add(action);
  }

  /** A node said goodbye before leaving gracefully: it no longer counts towards the quorum. */
  void departed(String node) {
    directory.quorum().departed(node, Members.view(hazelcast));
    quorumChanged();
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info(() -> "node " + Members.nodeIdOf(event.getMember()) + " joined the cluster at " + event.getMember().getAddress());
    quorumChanged();
    reconcile(true);
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    String node = Members.nodeIdOf(event.getMember());
    quorumChanged();
    if (node == null) {
      return;
    }
    int forgotten = directory.forgetNode(node);
    nodeLeft.forEach(action -> action.accept(node));
    LOG.info(() -> "node " + node + " left the cluster; its " + forgotten + " peers are dropped");
    vertx.executeBlocking(() -> {
      // A merging member sees the others leave and come back: drop nothing of a node that is back.
      if (!merging && !Members.view(hazelcast).contains(node)) {
        registry.removeAll(Predicates.like("this", PeerRecord.ofNodePattern(node)));
      }
      return null;
    }, false).onFailure(e -> LOG.log(Level.WARNING, "could not drop the peers of node " + node, e));
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING -> {
        merging = true;
        LOG.info("the cluster split heals: this node merges into the other side");
      }
      case MERGED -> {
        merging = false;
        LOG.info("merged after a split; reconciling this node's peers with the registry");
        quorumChanged();
        reconcile(true);
      }
      case MERGE_FAILED -> merging = false;
      default -> { }
    }
  }

  private void quorumChanged() {
    List<String> view = Members.view(hazelcast);
    boolean holds = directory.quorum().update(view);
    if (holds != lastHeld) {
      lastHeld = holds;
      String counts = directory.quorum().describe(view);
      if (holds) {
        LOG.info(() -> "this side of the cluster holds the quorum again (" + counts + "): new peers are admitted");
      } else {
        LOG.warning(() -> "this side of the cluster lost the quorum (" + counts
            + "): new peers are refused until it heals; connected peers stay");
      }
    }
  }

  /** Reconciles now, off the event loops; a request made while one runs makes it run once more. */
  void reconcile(boolean reloadView) {
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    vertx.executeBlocking(() -> {
      if (merging) {
        return null;
      }
      // A view reloaded while a merged node was not yet a member again misses its peers, and their
      // records may never change again to tell us: every round checks the view against the registry.
      if (reloadView || !directory.viewMatchesRegistry()) {
        directory.reloadView();
      }
      checkHeld();
      dropStrangers();
      dropDeadRecords();
      return null;
    }, false).onComplete(done -> {
      if (done.failed()) {
        LOG.log(Level.FINE, "reconciling with the registry failed; the next round retries", done.cause());
      }
      running.set(false);
      if (again.getAndSet(false)) {
        reconcile(true);
      }
    });
  }

  private void checkHeld() {
    List<Map.Entry<String, ClusteredPeerDirectory.Held>> links = new ArrayList<>(directory.held().entrySet());
    for (int from = 0; from < links.size(); from += BATCH) {
      List<Map.Entry<String, ClusteredPeerDirectory.Held>> batch = links.subList(from, Math.min(links.size(), from + BATCH));
      Set<String> ids = new HashSet<>();
      batch.forEach(e -> ids.add(e.getKey()));
      Map<String, String> current = registry.getAll(ids);
      for (Map.Entry<String, ClusteredPeerDirectory.Held> entry : batch) {
        if (!entry.getValue().record().equals(current.get(entry.getKey()))) {
          settle(entry.getKey(), entry.getValue());
        }
      }
    }
  }

  // Under the id's claim lock, so that no claim of this node is half-written while we look.
  private void settle(String id, ClusteredPeerDirectory.Held seen) {
    synchronized (directory.lockFor(id)) {
      ClusteredPeerDirectory.Held h = directory.heldNow(id);
      if (h != seen || h.link().isClosed()) {
        return;
      }
      String value = registry.get(id);
      if (value == null) {
        value = registry.putIfAbsent(id, h.record());
        if (value == null) {
          LOG.info(() -> "peer " + id + " lost its record in a merge; put back");
          return;
        }
      }
      if (value.equals(h.record())) {
        return;
      }
      if (PeerRecord.parse(value).node().equals(directory.nodeId())) {
        registry.replace(id, value, h.record()); // a stale record of ours: the link we hold is the truth
        return;
      }
      directory.lose(id, h, value, ClusteredPeerDirectory.reasonFor(h, value));
    }
  }

  private void dropStrangers() {
    Predicate<String, String> ours = Predicates.like("this", PeerRecord.ofNodePattern(directory.nodeId()));
    for (Map.Entry<String, String> entry : registry.entrySet(ours)) {
      synchronized (directory.lockFor(entry.getKey())) {
        ClusteredPeerDirectory.Held h = directory.heldNow(entry.getKey());
        if (h == null || !h.record().equals(entry.getValue())) {
          registry.remove(entry.getKey(), entry.getValue());
        }
      }
    }
  }

  // Only the side holding the quorum removes other nodes' records: what a minority removes would be
  // merged back anyway, and a merging member must not remove what the side it joins still holds.
  @SuppressWarnings("unchecked")
  private void dropDeadRecords() {
    List<String> view = Members.view(hazelcast);
    if (merging || !directory.quorum().update(view)) {
      return;
    }
    Predicate<String, String>[] notMembers = view.stream()
        .map(node -> Predicates.not(Predicates.like("this", PeerRecord.ofNodePattern(node))))
        .toArray(Predicate[]::new);
    registry.removeAll(Predicates.and(notMembers));
  }
}

package dev.switchboard.routing;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The directory of a single node: a concurrent map from id to link. */
public final class LocalPeerDirectory implements PeerDirectory {
  private final ConcurrentHashMap<String, PeerLink> peers = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final UserIndex users = new UserIndex();
  private final TakeoverRule takeoverRule;
  private final int concurrentLimit;

  public LocalPeerDirectory(TakeoverRule takeoverRule, int concurrentLimit) {
    this.takeoverRule = takeoverRule;
    this.concurrentLimit = concurrentLimit;
  }

  @Override
  public Future<Admission> claim(PeerLink link) {
    return Future.succeededFuture(claimNow(link));
  }

  /** {@link #claim} without the future, for callers on this node. */
  public Admission claimNow(PeerLink link) {
    Admission[] result = new Admission[1];
    peers.compute(link.id(), (id, holder) -> {
      if (holder == null) {
        if (size.incrementAndGet() > concurrentLimit) {
          size.decrementAndGet();
          result[0] = Admission.LIMIT;
          return null;
        }
        result[0] = Admission.OPENED;
        return link;
      }
      // A holder whose transport is already gone is a ghost, not an owner (PeerServer keeps such
      // ghosts until alive_timeout).
      if (holder.isClosed()) {
        result[0] = Admission.OPENED;
        return link;
      }
      if (takeoverRule.mayReplace(holder, link)) {
        result[0] = Admission.replaced(holder);
        return link;
      }
      result[0] = Admission.TAKEN;
      return holder;
    });
    if (result[0] != Admission.TAKEN && result[0] != Admission.LIMIT) {
      users.add(link.userId(), link.id());
    }
    return result[0];
  }

  @Override
  public PeerLink lookup(String id) {
    return peers.get(id);
  }

  @Override
  public boolean remove(PeerLink link) {
    if (peers.remove(link.id(), link)) {
      size.decrementAndGet();
      users.remove(link.userId(), link.id());
      return true;
    }
    return false;
  }

  @Override
  public boolean contains(String id) {
    return peers.containsKey(id);
  }

  @Override
  public Collection<String> ids() {
    return Collections.unmodifiableSet(peers.keySet());
  }

  @Override
  public Collection<PeerLink> links() {
    return Collections.unmodifiableCollection(peers.values());
  }

  @Override
  public Future<List<String>> peersOfUser(String userId) {
    return Future.succeededFuture(users.idsOf(userId, id -> {
      PeerLink link = peers.get(id);
      return link == null ? null : link.userId();
    }));
  }

  @Override
  public int size() {
    return size.get();
  }
}

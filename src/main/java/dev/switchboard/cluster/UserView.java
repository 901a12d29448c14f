package dev.switchboard.cluster;

import dev.switchboard.routing.UserIndex;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A node's view of which peers each verified user holds across the cluster (for
 * {@link dev.switchboard.routing.Broker#peersOfUser}): this node's links as they are admitted and
 * removed, other nodes' from the registry's records as their events arrive (records carry the user).
 * No round trip and nothing on the relay path.
 */
final class UserView {
  private final ConcurrentHashMap<String, String> remoteUsers = new ConcurrentHashMap<>();
  private final UserIndex index = new UserIndex();

  /** This node's link for {@code id}, of {@code user}, was admitted. */
  void local(String id, String user) {
    remoteUsers.remove(id);
    index.add(user, id);
  }

  /** This node's link for {@code id} is gone. */
  void localGone(String id, String user) {
    index.remove(user, id);
  }

  /** Another node's record for {@code id} entered the view. */
  void remote(String id, PeerRecord record) {
    if (record.userId() == null) {
      index.remove(remoteUsers.remove(id), id);
      return;
    }
    remoteUsers.put(id, record.userId());
    index.add(record.userId(), id);
  }

  /** Another node's peer {@code id} left the view. */
  void remoteGone(String id) {
    index.remove(remoteUsers.remove(id), id);
  }

  /** Drops the other nodes' peers for which {@code gone} holds. */
  void dropRemote(Predicate<String> gone) {
    remoteUsers.entrySet().removeIf(entry -> {
      if (gone.test(entry.getKey())) {
        index.remove(entry.getValue(), entry.getKey());
        return true;
      }
      return false;
    });
  }

  /** The user of another node's peer {@code id}, or {@code null}. */
  String remoteUser(String id) {
    return remoteUsers.get(id);
  }

  /** The ids of {@code user}, checked against {@code userOf} (the directory's truth). */
  List<String> idsOf(String user, Function<String, String> userOf) {
    return index.idsOf(user, userOf);
  }
}

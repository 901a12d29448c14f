package dev.switchboard.presence;

import io.vertx.core.Future;

import java.util.Map;
import java.util.Set;

/**
 * Every user's devices, cluster-wide: a map on one node ({@link LocalPresenceStore}), a Hazelcast map
 * changed by entry processors in a cluster ({@link HazelcastPresenceStore}). Changes to one user are
 * applied one at a time, wherever they come from; no method blocks.
 */
public interface PresenceStore {

  /** Applies {@code op} to {@code user}'s devices; completes with the new view if it changed, else {@code null}. */
  Future<PresenceView> apply(String user, DeviceOp op);

  /** {@code user}'s view now ({@link PresenceView#offline} for a user without devices). */
  Future<PresenceView> get(String user);

  /**
   * The devices of the users whose records this node keeps (in a cluster, the map's local entries), for
   * the sweep that removes devices of a node that went away.
   */
  Future<Map<String, Set<String>>> localDevices();

  /** Drops the records of users without devices whose last change is older than {@code beforeMillis}. */
  Future<Void> pruneEmpty(long beforeMillis);
}

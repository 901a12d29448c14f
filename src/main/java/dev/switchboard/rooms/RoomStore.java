package dev.switchboard.rooms;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Set;

/**
 * Where rooms are kept: this node's memory ({@link LocalRoomStore}) or, in a cluster, a Hazelcast map
 * ({@link ClusteredRoomStore}). Each {@link #apply} is one atomic step on one room, cluster-wide.
 */
interface RoomStore {

  /** Runs {@code op} on room {@code roomId} atomically; completes on the caller's context. */
  Future<RoomOutcome> apply(String roomId, RoomOp op);

  /** Every stored room, tombstones included. */
  Future<Collection<Room>> all();

  /** The ids of the rooms this node is responsible for sweeping (in a cluster: whose partition it owns). */
  Future<Set<String>> owned();
}

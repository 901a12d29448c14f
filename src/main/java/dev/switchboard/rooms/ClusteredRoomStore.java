package dev.switchboard.rooms;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rooms of a cluster: the Hazelcast map {@code switchboard.rooms} (partitioned, one backup). Each step is an
 * entry processor run on the owner of the room's partition, under that partition's lock: the capacity check
 * and the join are one step, so N racing joins for one free seat seat exactly one, whichever node they
 * came from. Nothing here blocks an event loop: steps are asynchronous, reads run on a worker.
 */
final class ClusteredRoomStore implements RoomStore {

  private final Vertx vertx;
  private final IMap<String, Room> rooms;

  ClusteredRoomStore(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.rooms = hazelcast.getMap(RoomMergePolicy.MAP);
  }

  /** Runs a {@link RoomOp} where the entry lives; a changed outcome is written there and to the backup. */
  static final class Step implements EntryProcessor<String, Room, RoomOutcome> {
    private static final long serialVersionUID = 1L;
    private final RoomOp op;

    Step(RoomOp op) {
      this.op = op;
    }

    @Override
    public RoomOutcome process(Map.Entry<String, Room> entry) {
      RoomOutcome outcome = op.apply(entry.getValue());
      if (outcome.changed()) {
        entry.setValue(outcome.room());
      }
      return outcome;
    }
  }

  @Override
  public Future<RoomOutcome> apply(String roomId, RoomOp op) {
    try {
      return Future.fromCompletionStage(rooms.submitToKey(roomId, new Step(op)), vertx.getOrCreateContext());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Collection<Room>> all() {
    return vertx.executeBlocking(() -> new ArrayList<>(rooms.values()), false);
  }

  @Override
  public Future<Set<String>> owned() {
    return vertx.executeBlocking(() -> new HashSet<>(rooms.localKeySet()), false);
  }
}

package dev.switchboard.rooms;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms of a single node: a concurrent map, each step under that room's entry lock ({@code compute}). */
final class LocalRoomStore implements RoomStore {
  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();

  @Override
  public Future<RoomOutcome> apply(String roomId, RoomOp op) {
    RoomOutcome[] outcome = new RoomOutcome[1];
    rooms.compute(roomId, (id, current) -> {
      outcome[0] = op.apply(current);
      return outcome[0].changed() ? outcome[0].room() : current;
    });
    return Future.succeededFuture(outcome[0]);
  }

  @Override
  public Future<Collection<Room>> all() {
    return Future.succeededFuture(List.copyOf(rooms.values()));
  }

  @Override
  public Future<Set<String>> owned() {
    return Future.succeededFuture(Set.copyOf(rooms.keySet()));
  }
}

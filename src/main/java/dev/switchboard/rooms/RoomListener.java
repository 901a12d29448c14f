package dev.switchboard.rooms;

/**
 * Told of every change of every room (created, a member joined or left, closed), on every node of a
 * cluster, in each room's order ({@link RoomChange#origin()} marks the node that made it). It
 * runs on an event loop and must be quick.
 */
@FunctionalInterface
public interface RoomListener {
  void roomChanged(RoomChange change);
}

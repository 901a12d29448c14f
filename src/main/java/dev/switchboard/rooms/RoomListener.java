package dev.switchboard.rooms;

/**
 * Told of every change of every room's members, on every node of a cluster, in each room's order. It
 * runs on an event loop and must be quick.
 */
@FunctionalInterface
public interface RoomListener {
  void roomChanged(RoomChange change);
}

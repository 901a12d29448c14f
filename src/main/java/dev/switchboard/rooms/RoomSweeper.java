package dev.switchboard.rooms;

import dev.switchboard.routing.Broker;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The safety net, run every {@link RoomService#SWEEP_MS} on each node over the rooms it is responsible for
 * (in a cluster: those whose map partition it owns, so each room is swept by one node): removes rooms empty
 * for their empty timeout, forgets old tombstones, and takes the seat of every member that has not been
 * connected anywhere for longer than the reconnect grace — a member whose node crashed or was cut off has
 * no departure on any node that is still there. A normal disconnect is handled sooner by the departure
 * of the member's own node.
 */
final class RoomSweeper {
  /** How long a removed room's tombstone is kept (late events about it are recognised as stale). */
  static final long TOMBSTONE_MS = 60_000;

  private final Broker broker;
  private final RoomStore store;
  private final RoomView view;
  private final long graceMs;
  private final RoomService service;
  // Members of the rooms swept here, not connected anywhere, since when (broker clock).
  private Map<String, Long> goneSince = new HashMap<>();
  private volatile int rooms;
  private volatile int members;
  private volatile boolean running;

  RoomSweeper(Broker broker, RoomStore store, RoomView view, long graceMs, RoomService service) {
    this.broker = broker;
    this.store = store;
    this.view = view;
    this.graceMs = graceMs;
    this.service = service;
  }

  /** One round; a round still running makes this one a no-op. */
  void sweep() {
    if (running) {
      return;
    }
    running = true;
    store.owned().onComplete(owned -> {
      running = false;
      if (owned.succeeded()) {
        sweep(owned.result(), broker.clock().millis());
      }
    });
  }

  private void sweep(Set<String> owned, long now) {
    Map<String, Long> stillGone = new HashMap<>();
    int roomCount = 0;
    int memberCount = 0;
    for (String id : owned) {
      Room room = view.raw(id);
      if (room == null) {
        continue;
      }
      if (room.removed()) {
        if (now - room.emptySince() >= TOMBSTONE_MS) {
          store.apply(id, new RoomOp.Purge(now, TOMBSTONE_MS));
        }
        continue;
      }
      roomCount++;
      memberCount += room.seats().size();
      if (room.expired(now)) {
        service.carryOut(id, new RoomOp.Expire(now));
      }
      for (Room.Seat seat : room.seats()) {
        if (broker.lookup(seat.peer()).connected()) {
          continue;
        }
        long since = goneSince.getOrDefault(seat.peer(), now);
        stillGone.put(seat.peer(), since);
        if (now - since > graceMs) {
          service.carryOut(id, new RoomOp.Leave(seat.peer(), now));
        }
      }
    }
    goneSince = stillGone;
    rooms = roomCount;
    members = memberCount;
    view.purge(now, TOMBSTONE_MS);
  }

  int rooms() {
    return rooms;
  }

  int members() {
    return members;
  }
}

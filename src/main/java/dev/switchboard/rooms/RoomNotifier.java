package dev.switchboard.rooms;

import dev.switchboard.routing.Broker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells this node's peers and the listeners what one change of a room did. Every node runs it for every
 * change, and sends only to the members connected to it: a member that joined gets ROOM-JOINED (with the
 * members it found), one that left and is still connected ROOM-LEFT, the others ROOM-MEMBER for each.
 */
final class RoomNotifier {
  private static final Logger LOG = Logger.getLogger(RoomNotifier.class.getName());

  private final Broker broker;
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();

  RoomNotifier(Broker broker) {
    this.broker = broker;
  }

  void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  /** @param origin whether this node made the change (every change has exactly one such node) */
  void changed(RoomView.Change change, boolean origin) {
    if (change == null || !change.any()) {
      return;
    }
    Room after = change.after();
    String roomId = after != null ? after.id() : change.before().id();
    if (change.created()) {
      fire(new RoomChange(roomId, RoomChange.Kind.CREATED, null, List.of(), origin));
    }
    for (Room.Seat seat : change.left()) {
      if (broker.lookup(seat.peer()).isHere()) {
        broker.send(seat.peer(), "ROOM-LEFT", new JsonObject().put("roomId", roomId));
      }
    }
    List<Room.Seat> seats = after == null ? List.of() : after.seats();
    for (Room.Seat seat : seats) {
      if (!broker.lookup(seat.peer()).isHere()) {
        continue;
      }
      if (change.joined().contains(seat)) {
        broker.send(seat.peer(), "ROOM-JOINED", joined(after, seat.peer()));
      } else {
        change.joined().forEach(j -> broker.send(seat.peer(), "ROOM-MEMBER", member(roomId, j.peer(), "joined")));
        change.left().forEach(l -> broker.send(seat.peer(), "ROOM-MEMBER", member(roomId, l.peer(), "left")));
      }
    }
    List<RoomMember> members = after == null ? List.of() : after.members();
    change.left().forEach(l -> fire(new RoomChange(roomId, RoomChange.Kind.LEFT, l.member(), members, origin)));
    change.joined().forEach(j -> fire(new RoomChange(roomId, RoomChange.Kind.JOINED, j.member(), members, origin)));
    if (change.closed()) {
      fire(new RoomChange(roomId, RoomChange.Kind.CLOSED, null, List.of(), origin));
    }
  }

  static JsonObject joined(Room room, String peer) {
    return new JsonObject().put("roomId", room.id()).put("members", new JsonArray(room.peersBut(peer)))
        .put("capacity", room.capacity());
  }

  private static JsonObject member(String roomId, String peer, String event) {
    return new JsonObject().put("roomId", roomId).put("peer", peer).put("event", event);
  }

  private void fire(RoomChange change) {
    for (RoomListener listener : listeners) {
      try {
        listener.roomChanged(change);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a room listener failed on " + change.kind() + " in " + change.roomId(), e);
      }
    }
  }
}

package dev.switchboard.rooms;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Room changes between the nodes of a cluster: the node that made a change publishes the room's new
 * snapshot on the event bus ({@code switchboard.rooms.events}, to every node; a node ignores its own,
 * which it applied already), and every node reloads its view from the store when the cluster's
 * membership changes, so what a lost node or a cut link kept from it heals.
 */
final class RoomEvents {
  static final String ADDRESS = "switchboard.rooms.events";

  private final Vertx vertx;
  private final String self;
  private final MessageConsumer<JsonObject> consumer;
  private final HazelcastInstance hazelcast;
  private final UUID membershipListener;

  RoomEvents(Vertx vertx, String self, HazelcastInstance hazelcast, Consumer<Room> received, Runnable reload) {
    this.vertx = vertx;
    this.self = self;
    this.hazelcast = hazelcast;
    this.consumer = vertx.eventBus().consumer(ADDRESS, message -> {
      JsonObject body = message.body();
      if (!self.equals(body.getString("node"))) {
        received.accept(decode(body.getJsonObject("room")));
      }
    });
    this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        reload.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        reload.run();
      }
    });
  }

  /** Whether the consumer is registered cluster-wide. */
  Future<Void> ready() {
    return consumer.completion();
  }

  void publish(Room room) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("node", self).put("room", encode(room)));
  }

  Future<Void> close() {
    try {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    } catch (RuntimeException e) {
      // Hazelcast is already down: nothing left to listen to.
    }
    return consumer.unregister();
  }

  static JsonObject encode(Room room) {
    JsonArray seats = new JsonArray();
    room.seats().forEach(seat -> seats.add(new JsonArray().add(seat.peer()).add(seat.user())));
    return new JsonObject().put("id", room.id()).put("capacity", room.capacity())
        .put("emptyTimeoutMs", room.emptyTimeoutMs())
        .put("allowedUsers", room.allowedUsers() == null ? null : new JsonArray(new ArrayList<>(room.allowedUsers())))
        .put("creator", room.creator()).put("seats", seats).put("version", room.version())
        .put("emptySince", room.emptySince()).put("removed", room.removed());
  }

  static Room decode(JsonObject json) {
    List<Room.Seat> seats = new ArrayList<>();
    for (Object seat : json.getJsonArray("seats")) {
      JsonArray pair = (JsonArray) seat;
      seats.add(new Room.Seat(pair.getString(0), pair.getString(1)));
    }
    JsonArray allowed = json.getJsonArray("allowedUsers");
    Set<String> users = null;
    if (allowed != null) {
      users = new HashSet<>();
      for (Object user : allowed) {
        users.add((String) user);
      }
    }
    return new Room(json.getString("id"), json.getInteger("capacity"), json.getLong("emptyTimeoutMs"), users,
        json.getString("creator"), seats, json.getLong("version"), json.getLong("emptySince"),
        json.getBoolean("removed"));
  }
}

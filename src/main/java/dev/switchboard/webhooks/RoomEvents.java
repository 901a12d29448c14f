package dev.switchboard.webhooks;

import dev.switchboard.rooms.RoomChange;
import dev.switchboard.rooms.RoomListener;
import io.vertx.core.json.JsonObject;

import static dev.switchboard.webhooks.EventTypes.ROOM_CLOSED;
import static dev.switchboard.webhooks.EventTypes.ROOM_CREATED;
import static dev.switchboard.webhooks.EventTypes.ROOM_JOINED;
import static dev.switchboard.webhooks.EventTypes.ROOM_LEFT;

/**
 * Room events as webhooks (docs/webhooks.md, "Events"), in each room's order (one resource per room).
 * Room listeners run on every node; each change is sent by the one node that made it.
 */
final class RoomEvents implements RoomListener {
  private final Webhooks webhooks;

  RoomEvents(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  public void roomChanged(RoomChange change) {
    if (!change.origin()) {
      return;
    }
    JsonObject data = new JsonObject().put("roomId", change.roomId());
    String type = switch (change.kind()) {
      case CREATED -> ROOM_CREATED;
      case JOINED -> ROOM_JOINED;
      case LEFT -> ROOM_LEFT;
      case CLOSED -> ROOM_CLOSED;
    };
    if (change.member() != null) {
      data.put("peerId", change.member().peerId()).put("userId", change.member().userId())
          .put("members", change.members().size());
    }
    webhooks.publish(type, "room:" + change.roomId(), data);
  }
}

package dev.switchboard.webhooks;

import java.util.List;

/**
 * The webhook event types the broker knows (docs/webhooks.md): {@code --webhook_events} may name only
 * these, and {@link Webhooks#publish} sends only these. A feature adds its events by adding a line here.
 */
public final class EventTypes {
  public static final String PEER_ONLINE = "peer.online";
  public static final String PEER_OFFLINE = "peer.offline";
  public static final String CALL_INVITED = "call.invited";
  public static final String CALL_RINGING = "call.ringing";
  public static final String CALL_ANSWERED = "call.answered";
  public static final String CALL_ENDED = "call.ended";
  public static final String CALL_MISSED = "call.missed";
  public static final String CALLEE_WAKEUP = "callee.wakeup";
  public static final String ROOM_CREATED = "room.created";
  public static final String ROOM_JOINED = "room.joined";
  public static final String ROOM_LEFT = "room.left";
  public static final String ROOM_CLOSED = "room.closed";

  /** Every known type, in the order docs/webhooks.md lists them. */
  public static final List<String> ALL = List.of(PEER_ONLINE, PEER_OFFLINE, CALL_INVITED, CALL_RINGING,
      CALL_ANSWERED, CALL_ENDED, CALL_MISSED, CALLEE_WAKEUP, ROOM_CREATED, ROOM_JOINED, ROOM_LEFT, ROOM_CLOSED);

  private EventTypes() {
  }

  /** Whether {@code type} is a known event type. */
  public static boolean known(String type) {
    return ALL.contains(type);
  }
}

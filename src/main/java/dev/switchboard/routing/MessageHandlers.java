package dev.switchboard.routing;

import dev.switchboard.protocol.MessageType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which {@link MessageHandler} takes the frames of each wire type, as vertx-stomp's per-frame handlers:
 * PeerServer's types are the default entries ({@link PeerServerHandlers}), each replaceable, and an
 * application adds its own. A frame of a type with no entry is dropped, as PeerServer drops types it does
 * not know. Reading is lock-free (one map look-up per frame); registering is rare and copies the map.
 *
 * <pre>{@code
 * MessageHandlers handlers = switchboard.messageHandlers();
 * handlers.register("MY-PING", (from, frame, broker) ->
 *     broker.send(frame.dst(), "MY-PONG", new JsonObject().put("from", from.id())));
 * MessageHandler relay = handlers.handler("OFFER");
 * handlers.register("OFFER", (from, frame, broker) -> {
 *   log(from, frame);
 *   relay.handle(from, frame, broker);
 * });
 * }</pre>
 */
public final class MessageHandlers {
  /**
   * Types only a server sends, which PeerJS acts on as the server's word (OPEN opens the peer; ERROR,
   * ID-TAKEN and INVALID-KEY end it; HTTP-ERROR ends an XHR stream): a client's frame of one is dropped and
   * no handler may be registered for it.
   */
  public static final Set<String> SERVER_ONLY = Set.of("OPEN", "ERROR", "ID-TAKEN", "INVALID-KEY", "HTTP-ERROR");
  /** Longest type name that may be registered. */
  public static final int MAX_TYPE_LENGTH = 64;

  private volatile Map<String, MessageHandler> byType;
  private volatile Set<String> lowerCaseTypes;

  /** A registry with PeerServer's entries: HEARTBEAT, OFFER, ANSWER, CANDIDATE, LEAVE, EXPIRE. */
  public MessageHandlers() {
    Map<String, MessageHandler> defaults = new HashMap<>();
    defaults.put(MessageType.HEARTBEAT.wire(), PeerServerHandlers.HEARTBEAT);
    defaults.put(MessageType.OFFER.wire(), PeerServerHandlers.RELAY);
    defaults.put(MessageType.ANSWER.wire(), PeerServerHandlers.RELAY);
    defaults.put(MessageType.CANDIDATE.wire(), PeerServerHandlers.RELAY);
    defaults.put(MessageType.LEAVE.wire(), PeerServerHandlers.LEAVE);
    defaults.put(MessageType.EXPIRE.wire(), PeerServerHandlers.EXPIRE);
    publish(defaults);
  }

  /**
   * Makes {@code handler} take the frames whose {@code type} is exactly {@code type}, replacing the entry
   * there was (a default one included).
   *
   * @throws IllegalArgumentException when {@code type} is one of {@link #SERVER_ONLY}, empty, longer than
   *     {@value #MAX_TYPE_LENGTH} characters, or has a character outside printable ASCII, a space, a
   *     quote or a backslash
   */
  public synchronized MessageHandlers register(String type, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    checkType(type);
    Map<String, MessageHandler> copy = new HashMap<>(byType);
    copy.put(type, handler);
    publish(copy);
    return this;
  }

  /** The handler for frames of {@code type}, or {@code null} when they are dropped. */
  public MessageHandler handler(String type) {
    return byType.get(type);
  }

  /** The types that have a handler. */
  public Set<String> types() {
    return byType.keySet();
  }

  /**
   * Whether {@code name}, in any case, is a type with a handler: the XHR transport takes a message POST
   * to {@code {path}{key}/{id}/{token}/{type}} only for those (PeerJS 0.3.x writes the type in lower case).
   */
  public boolean handlesIgnoringCase(String name) {
    return lowerCaseTypes.contains(name.toLowerCase(Locale.ROOT));
  }

  private void publish(Map<String, MessageHandler> map) {
    Set<String> lower = new HashSet<>();
    map.keySet().forEach(type -> lower.add(type.toLowerCase(Locale.ROOT)));
    lowerCaseTypes = Set.copyOf(lower);
    byType = Map.copyOf(map);
  }

  private static void checkType(String type) {
    Objects.requireNonNull(type, "type");
    if (SERVER_ONLY.contains(type)) {
      throw new IllegalArgumentException("Message type " + type + " is the server's to send: PeerJS treats it"
          + " as the server's word, so a client's frame of it is never handled (server-only types: "
          + String.join(", ", SERVER_ONLY.stream().sorted().toList()) + ")");
    }
    if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
      throw new IllegalArgumentException("Message type must have 1 to " + MAX_TYPE_LENGTH + " characters: \"" + type + "\"");
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        throw new IllegalArgumentException("Message type may only have printable ASCII characters other than"
            + " space, quote and backslash: \"" + type + "\"");
      }
    }
  }
}

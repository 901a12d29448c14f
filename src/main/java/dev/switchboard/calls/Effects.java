package dev.switchboard.calls;

import dev.switchboard.routing.CallInfo;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What one transition of the {@link CallBook} asks for, collected under its lock and carried out after it
 * is let go: frames to send to peers and events for listeners, in order.
 */
final class Effects {
  /** A frame {@code {"type":type,"payload":payload}} for peer {@code peer}, about call {@code callId}. */
  record Send(String peer, String callId, String type, JsonObject payload) {
  }

  /** A listener event. */
  enum Kind { INVITED, RINGING, ACCEPTED, MEDIA, ENDED }

  record Event(Kind kind, CallInfo call, String reason) {
  }

  /** Nothing to do (immutable: a transition that changed nothing shares it). */
  static final Effects NONE = new Effects(List.of(), List.of());

  private final List<Send> sends;
  private final List<Event> events;

  Effects() {
    this(new ArrayList<>(4), new ArrayList<>(2));
  }

  private Effects(List<Send> sends, List<Event> events) {
    this.sends = sends;
    this.events = events;
  }

  void send(String peer, String callId, String type, JsonObject payload) {
    sends.add(new Send(peer, callId, type, payload));
  }

  void event(Kind kind, CallInfo call, String reason) {
    events.add(new Event(kind, call, reason));
  }

  List<Send> sends() {
    return sends;
  }

  List<Event> events() {
    return events;
  }

  /** The frames for {@code peer}, in order (for tests). */
  List<Send> to(String peer) {
    return sends.stream().filter(s -> s.peer().equals(peer)).toList();
  }
}

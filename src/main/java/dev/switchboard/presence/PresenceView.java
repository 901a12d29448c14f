package dev.switchboard.presence;

import io.vertx.core.json.JsonObject;

/**
 * A user's merged presence as watchers see it.
 *
 * @param user the user id
 * @param status {@code online}, {@code away}, {@code busy}, {@code dnd} or {@code offline}
 * @param note the note of the status set last, or {@code null}
 * @param devices how many devices (peers) of the user are connected, or away for less than the grace
 * @param version grows with every change of the user's view, cluster-wide; watchers get a user's changes
 *     in version order
 */
public record PresenceView(String user, String status, String note, int devices, long version) {

  /** A user with no device: what an unknown user looks like too. */
  public static PresenceView offline(String user) {
    return new PresenceView(user, "offline", null, 0, 0);
  }

  /** Whether watchers would see a difference between this view and {@code other}. */
  public boolean sameAs(PresenceView other) {
    return other != null && status.equals(other.status) && java.util.Objects.equals(note, other.note)
        && devices == other.devices;
  }

  /** {@code {status, note, devices}}: one user's entry of a PRESENCE frame. */
  public JsonObject entry() {
    return new JsonObject().put("status", status).put("note", note).put("devices", devices);
  }

  /** The view as it travels between nodes on the event bus. */
  JsonObject toBus() {
    return entry().put("user", user).put("version", version);
  }

  static PresenceView fromBus(JsonObject bus) {
    return new PresenceView(bus.getString("user"), bus.getString("status"), bus.getString("note"),
        bus.getInteger("devices"), bus.getLong("version"));
  }
}

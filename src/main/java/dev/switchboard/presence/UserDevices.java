package dev.switchboard.presence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One user's devices and the rule that merges them into the status watchers see (docs/rooms-presence.md):
 * <ol>
 *   <li>no device → {@code offline}, devices 0;</li>
 *   <li>else the status (and note) the user set <em>last</em>, from any of its devices still counted;
 *       none set → {@code online};</li>
 *   <li>{@code online} or {@code away} becomes {@code busy} while any device is in an accepted call;
 *       {@code dnd} stays {@code dnd} (the user asked not to be disturbed, which says more).</li>
 * </ol>
 * A device that set a status and is then gone for good takes its setting with it: the user falls back to
 * the latest set by the devices left. Not thread-safe: the store applies changes one at a time per user.
 */
final class UserDevices {
  /** Calls remembered per device; more (never reached with --max_calls_per_peer) are not counted. */
  static final int MAX_CALLS_PER_DEVICE = 64;

  private static final class Device {
    String status;
    String note;
    long setAt;
    final Set<String> calls = new LinkedHashSet<>();
  }

  private final String user;
  private final Map<String, Device> devices = new TreeMap<>();
  private long version;
  private long sets;

  UserDevices(String user) {
    this.user = user;
  }

  /**
   * Applies {@code op}; when the merged view changed, the version moves past both the last one and
   * {@code nowMillis * 1000} (so a user removed and seen again later still gets a higher version).
   *
   * @return the new view if watchers would see a change, else {@code null}
   */
  PresenceView apply(DeviceOp op, long nowMillis) {
    PresenceView before = view();
    Device device = devices.get(op.peer());
    switch (op.kind()) {
      case CONNECT -> devices.putIfAbsent(op.peer(), new Device());
      case REMOVE -> devices.remove(op.peer());
      case SET -> {
        device = devices.computeIfAbsent(op.peer(), p -> new Device());
        device.status = op.status();
        device.note = op.note();
        device.setAt = ++sets;
      }
      case CALL_START -> {
        device = devices.computeIfAbsent(op.peer(), p -> new Device());
        if (device.calls.size() < MAX_CALLS_PER_DEVICE) {
          device.calls.add(op.callId());
        }
      }
      case CALL_END -> {
        if (device != null) {
          device.calls.remove(op.callId());
        }
      }
      default -> throw new IllegalArgumentException(op.kind().name());
    }
    PresenceView after = view();
    if (after.sameAs(before)) {
      return null;
    }
    version = Math.max(version + 1, nowMillis * 1000);
    return view();
  }

  /** The merged view now. */
  PresenceView view() {
    if (devices.isEmpty()) {
      return new PresenceView(user, "offline", null, 0, version);
    }
    Device latest = null;
    boolean inCall = false;
    for (Device device : devices.values()) {
      if (device.setAt > 0 && (latest == null || device.setAt > latest.setAt)) {
        latest = device;
      }
      inCall |= !device.calls.isEmpty();
    }
    String status = latest == null ? "online" : latest.status;
    if (inCall && ("online".equals(status) || "away".equals(status))) {
      status = "busy";
    }
    return new PresenceView(user, status, latest == null ? null : latest.note, devices.size(), version);
  }

  /** Whether no device is left (the record may be dropped). */
  boolean isEmpty() {
    return devices.isEmpty();
  }

  /** The devices (peer ids) counted now. */
  Set<String> peers() {
    return Set.copyOf(devices.keySet());
  }

  String encode() {
    JsonObject all = new JsonObject();
    devices.forEach((peer, d) -> all.put(peer, new JsonObject().put("s", d.status).put("n", d.note)
        .put("t", d.setAt).put("c", new JsonArray(java.util.List.copyOf(d.calls)))));
    return new JsonObject().put("v", version).put("q", sets).put("d", all).encode();
  }

  static UserDevices decode(String user, String encoded) {
    UserDevices record = new UserDevices(user);
    if (encoded == null) {
      return record;
    }
    JsonObject json = new JsonObject(encoded);
    record.version = json.getLong("v", 0L);
    record.sets = json.getLong("q", 0L);
    JsonObject all = json.getJsonObject("d", new JsonObject());
    for (String peer : all.fieldNames()) {
      JsonObject d = all.getJsonObject(peer);
      Device device = new Device();
      device.status = d.getString("s");
      device.note = d.getString("n");
      device.setAt = d.getLong("t", 0L);
      d.getJsonArray("c", new JsonArray()).forEach(c -> device.calls.add((String) c));
      record.devices.put(peer, device);
    }
    return record;
  }
}

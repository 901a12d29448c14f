package dev.switchboard.rooms;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;
import static dev.switchboard.config.Settings.check;

/**
 * Rooms (docs/rooms-presence.md). A peer gone for good leaves its rooms after calls' {@code --reconnect_grace}
 * ({@link dev.switchboard.calls.CallSettings#RECONNECT_GRACE}).
 */
public final class RoomSettings {
  /** The longest empty timeout a client or the Java API may ask for: one day. */
  public static final long MAX_EMPTY_TIMEOUT_MS = 86_400_000L;
  /** The shortest empty timeout: one second. */
  public static final long MIN_EMPTY_TIMEOUT_MS = 1_000L;
  /** The longest room id (its characters: {@code A–Z a–z 0–9 . _ : -}). */
  public static final int MAX_ROOM_ID_LENGTH = 64;

  public static final Setting<Integer> ROOM_CAPACITY = Setting.of("room_capacity", INT).defaultValue(2)
      .help("N", "Seats of a room created without a capacity.").check(v -> v >= 1, "must be at least 1").build();
  public static final Setting<Integer> ROOM_MAX_CAPACITY = Setting.of("room_max_capacity", INT).defaultValue(16)
      .help("N", "Most seats a room may be created with.").check(v -> v >= 1, "must be at least 1").build();
  public static final Setting<Long> ROOM_EMPTY_TIMEOUT = Setting.of("room_empty_timeout", LONG).defaultValue(300_000L)
      .help("MS", "A room without members this long is removed (a client may ask for 1000 to 86400000).")
      .check(v -> v >= MIN_EMPTY_TIMEOUT_MS && v <= MAX_EMPTY_TIMEOUT_MS, "must be 1000 to 86400000").build();
  public static final Setting<Integer> MAX_ROOMS_PER_PEER = Setting.of("max_rooms_per_peer", INT).defaultValue(8)
      .help("N", "Most rooms a peer may be a member of, and most empty rooms it created that may exist at once.")
      .check(v -> v >= 1, "must be at least 1").build();
  public static final Setting<Integer> MAX_ROOMS = Setting.of("max_rooms", INT).defaultValue(10_000)
      .help("N", "Most rooms in the whole cluster.").check(v -> v >= 1, "must be at least 1").build();
  public static final Setting<String> JWT_ROOMS_CLAIM = Setting.of("jwt_rooms_claim", STRING)
      .help("CLAIM", "JWT claim {roomId: [userId, ...]}: a room its holder creates and that is listed there "
          + "admits only those users (and the creator).").build();

  public static final List<Setting<?>> ALL = List.of(ROOM_CAPACITY, ROOM_MAX_CAPACITY, ROOM_EMPTY_TIMEOUT,
      MAX_ROOMS_PER_PEER, MAX_ROOMS, JWT_ROOMS_CLAIM);

  /** The default capacity fits under the largest. */
  public static final Consumer<SwitchboardOptions> RULES = options -> check(
      options.get(ROOM_CAPACITY) <= options.get(ROOM_MAX_CAPACITY), ROOM_CAPACITY,
      "must not be more than --room_max_capacity (" + options.get(ROOM_MAX_CAPACITY) + ")");

  private RoomSettings() {
  }
}

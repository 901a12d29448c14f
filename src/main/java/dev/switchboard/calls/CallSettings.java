package dev.switchboard.calls;

import dev.switchboard.config.Setting;

import java.util.List;

import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;

/** Calls, and the reconnect grace that calls (and later rooms, presence, webhooks) share: docs/calls.md. */
public final class CallSettings {
  public static final Setting<Long> RECONNECT_GRACE = Setting.of("reconnect_grace", LONG).defaultValue(10_000L)
      .help("MS", "A peer gone this long without reconnecting anywhere ends its calls (remote_disconnected).")
      .check(v -> v >= 0, "must not be negative").build();
  public static final Setting<Long> LEAVE_ON_DISCONNECT = Setting.of("leave_on_disconnect", LONG).defaultValue(0L)
      .help("MS", "Send LEAVE on behalf of a peer gone this long to each peer it sent OFFER/ANSWER/CANDIDATE to; "
          + "0: never.").check(v -> v >= 0, "must be 0 (off) or a number of ms").build();
  public static final Setting<Integer> MAX_CALLS_PER_PEER = Setting.of("max_calls_per_peer", INT).defaultValue(4)
      .help("N", "Most calls (ringing or active) one peer may be a party of.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Integer> MAX_CALLS = Setting.of("max_calls", INT).defaultValue(10_000)
      .help("N", "Most calls one node keeps at once.").check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> MAX_CALL_DURATION = Setting.of("max_call_duration", LONG)
      .defaultValue(4 * 3_600_000L).help("MS", "A call ends this long after its invite.")
      .check(v -> v >= 60_000, "must be at least 60000").build();
  // No tie to max_message_size: a frame over that limit never reaches the call broker anyway.
  public static final Setting<Integer> MAX_CALL_METADATA = Setting.of("max_call_metadata", INT).defaultValue(4096)
      .help("BYTES", "Largest serialized metadata of a CALL-INVITE.").check(v -> v >= 0, "must not be negative").build();

  public static final List<Setting<?>> ALL = List.of(RECONNECT_GRACE, LEAVE_ON_DISCONNECT, MAX_CALLS_PER_PEER,
      MAX_CALLS, MAX_CALL_DURATION, MAX_CALL_METADATA);

  private CallSettings() {
  }
}

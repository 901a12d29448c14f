package dev.switchboard.presence;

import dev.switchboard.auth.AuthSettings;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;
import static dev.switchboard.config.Settings.check;

/** Presence: who is online, scoped and pushed on change (docs/rooms-presence.md). */
public final class PresenceSettings {
  public static final Setting<Integer> PRESENCE_MAX_WATCH = Setting.of("presence_max_watch", INT).defaultValue(1000)
      .help("N", "Most users one peer may watch (PRESENCE-WATCH) at once.")
      .check(v -> v > 0 && v <= 100_000, "must be 1 to 100000").build();
  public static final Setting<Integer> PRESENCE_MAX_WATCH_TOTAL = Setting.of("presence_max_watch_total", INT)
      .defaultValue(1_000_000).help("N", "Most watched users one node keeps for all its peers together "
          + "(each entry a few dozen bytes); a watch past it is refused with PRESENCE-ERROR limit.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> PRESENCE_BATCH = Setting.of("presence_batch", LONG).defaultValue(250L)
      .help("MS", "Changes for one watcher are gathered this long into one PRESENCE frame (at most 500).")
      .check(v -> v >= 0 && v <= 500, "must be 0 to 500").build();
  public static final Setting<String> JWT_CONTACTS_CLAIM = Setting.of("jwt_contacts_claim", STRING)
      .help("CLAIM", "JWT claim holding the user's contacts (an array of user ids) whose presence it may see.")
      .check(v -> !v.isEmpty(), "must not be empty").build();
  public static final Setting<String> SESSION_CONTACTS_FIELD = Setting.of("session_contacts_field", STRING)
      .help("FIELD", "Field of the session service's answer holding the user's contacts (an array of user ids).")
      .check(v -> !v.isEmpty(), "must not be empty").build();

  public static final List<Setting<?>> ALL = List.of(PRESENCE_MAX_WATCH, PRESENCE_MAX_WATCH_TOTAL, PRESENCE_BATCH, JWT_CONTACTS_CLAIM,
      SESSION_CONTACTS_FIELD);

  // Fail closed: a contacts source for a mode not in use means someone expects scope that would not apply.
  public static final Consumer<SwitchboardOptions> RULES = o -> {
    String auth = o.get(AuthSettings.AUTH);
    check(o.get(JWT_CONTACTS_CLAIM) == null || "jwt".equals(auth), JWT_CONTACTS_CLAIM,
        "is set but auth is " + auth + ", not jwt");
    check(o.get(SESSION_CONTACTS_FIELD) == null || "session".equals(auth), SESSION_CONTACTS_FIELD,
        "is set but auth is " + auth + ", not session");
  };

  private PresenceSettings() {
  }
}

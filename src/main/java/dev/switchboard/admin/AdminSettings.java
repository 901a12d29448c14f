package dev.switchboard.admin;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.metrics.MetricsSettings;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.STRING;

/** The admin API for the application's servers (docs/admin-api.md). */
public final class AdminSettings {
  /** A bearer token shorter than this is guessable. */
  public static final int MIN_TOKEN_LENGTH = 32;

  public static final Setting<String> ADMIN_TOKEN = Setting.of("admin_token", STRING).secret()
      .help("TOKEN", "Bearer token of the admin API (/admin on --metrics_port), at least 32 characters; "
          + "unset: no admin API. Env SWITCHBOARD_ADMIN_TOKEN keeps it out of ps.")
      .check(v -> v.length() >= MIN_TOKEN_LENGTH, "must be at least " + MIN_TOKEN_LENGTH + " characters")
      .build();
  public static final Setting<Integer> MAX_BANS = Setting.of("max_bans", INT).defaultValue(100_000)
      .help("N", "Most bans the broker keeps (cluster-wide).").check(v -> v > 0, "must be positive").build();

  public static final List<Setting<?>> ALL = List.of(ADMIN_TOKEN, MAX_BANS);

  // The admin API is for the application's servers: never on the port browsers reach.
  public static final Consumer<SwitchboardOptions> RULES = options -> Settings.check(
      options.get(ADMIN_TOKEN) == null || options.get(MetricsSettings.METRICS_PORT) != MetricsSettings.SAME_PORT,
      ADMIN_TOKEN, "needs metrics_port: the admin API is served only on the metrics/admin port, "
          + "never on the public one");

  private AdminSettings() {
  }
}

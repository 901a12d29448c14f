package dev.switchboard.metrics;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.STRING;

/** Where {@code /metrics} is served. */
public final class MetricsSettings {
  /** -1 (the default): {@code /metrics} on the broker's own port. */
  public static final int SAME_PORT = -1;

  public static final Setting<Integer> METRICS_PORT = Setting.of("metrics_port", INT).defaultValue(SAME_PORT)
      .help("PORT", "Serve /metrics on this port instead of the public one (-1: public port).")
      .check(v -> v >= -1 && v <= 65535, "must be -1 (same port), 0 (any) or 1..65535").build();
  /** Unset: the broker's {@code host}. */
  public static final Setting<String> METRICS_HOST = Setting.of("metrics_host", STRING)
      .help("HOST", "Address of the --metrics_port server, e.g. 127.0.0.1 to keep /metrics on loopback. "
          + "Default: --host.")
      .check(v -> !v.isBlank(), "must not be empty").build();

  public static final List<Setting<?>> ALL = List.of(METRICS_PORT, METRICS_HOST);

  public static final Consumer<SwitchboardOptions> RULES = options -> Settings.check(
      options.get(METRICS_HOST) == null || options.get(METRICS_PORT) != SAME_PORT, METRICS_HOST,
      "needs metrics_port: /metrics on the public port listens where host says");

  private MetricsSettings() {
  }
}

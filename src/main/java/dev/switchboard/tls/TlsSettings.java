package dev.switchboard.tls;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;

/** TLS on the broker's port: PEM key and certificate files, reloaded when they change. */
public final class TlsSettings {
  public static final Setting<String> SSLKEY = Setting.of("sslkey", STRING)
      .help("FILE", "PEM private key for TLS (with --sslcert).").build();
  public static final Setting<String> SSLCERT = Setting.of("sslcert", STRING)
      .help("FILE", "PEM certificate chain for TLS (with --sslkey).").build();
  public static final Setting<Long> CERT_RELOAD_INTERVAL = Setting.of("cert_reload_interval", LONG)
      .defaultValue(10_000L).help("MS", "How often to check --sslkey/--sslcert for changes (0: only on SIGHUP).")
      .check(v -> v == 0 || v >= 100, "must be 0 (only on SIGHUP) or at least 100").build();

  public static final List<Setting<?>> ALL = List.of(SSLKEY, SSLCERT, CERT_RELOAD_INTERVAL);

  public static final Consumer<SwitchboardOptions> RULES = options -> {
    boolean noKey = options.get(SSLKEY) == null;
    Settings.check(noKey == (options.get(SSLCERT) == null), noKey ? SSLKEY : SSLCERT, "sslkey and sslcert go together");
  };

  private TlsSettings() {
  }
}

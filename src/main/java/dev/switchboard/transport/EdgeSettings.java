package dev.switchboard.transport;

import dev.switchboard.config.Setting;
import dev.switchboard.proxy.AddressRange;

import java.util.List;
import java.util.function.Function;

import static dev.switchboard.config.SettingType.BOOL;
import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRINGS;

/** The HTTP edge: proxies, origins, per-address limits and the timeouts of requests not yet peers. */
public final class EdgeSettings {
  public static final Setting<Boolean> PROXIED = Setting.of("proxied", BOOL).defaultValue(false)
      .help("BOOL", "The broker runs behind a reverse proxy.").build();
  /** Loopback by default: a proxy on the same machine. */
  public static final Setting<List<String>> TRUSTED_PROXIES = Setting.of("trusted_proxies", STRINGS)
      .defaultValue(List.of("127.0.0.0/8", "::1"))
      .help("CIDR", "Proxies whose X-Forwarded-*/Forwarded headers are believed with --proxied; repeat or separate "
          + "with commas. Default: 127.0.0.0/8,::1.")
      .rule(each(proxy -> AddressRange.isValid(proxy) ? null : "not an address or CIDR range: " + proxy)).build();
  /** Empty: any origin, echoed. */
  public static final Setting<List<String>> CORS = Setting.of("cors", STRINGS).defaultValue(List.of())
      .help("ORIGIN", "Allowed CORS origins (any scheme); repeat, list after one flag or separate with commas. "
          + "Default: any origin, echoed.")
      .rule(each(EdgeSettings::originProblem)).build();
  /** Empty: the cors list (and any origin when that is empty too). */
  public static final Setting<List<String>> WS_ORIGINS = Setting.of("ws_origins", STRINGS).defaultValue(List.of())
      .help("ORIGIN", "Origins allowed to open WebSockets; repeat or separate with commas. Default: the --cors list.")
      .rule(each(EdgeSettings::originProblem)).build();
  /** PeerServer 0.x's default {@code ip_limit}. */
  public static final Setting<Integer> IP_LIMIT = Setting.of("ip_limit", INT).defaultValue(5_000)
      .help("N", "Most peers connected at once from one client address.").check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> HEADER_TIMEOUT = Setting.of("header_timeout", LONG).defaultValue(10_000L)
      .help("MS", "Close an HTTP connection whose request line and headers take longer (408 once bytes came).")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> BODY_TIMEOUT = Setting.of("body_timeout", LONG).defaultValue(30_000L)
      .help("MS", "End a request whose body takes longer than this after its headers (408).")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> HTTP_IDLE_TIMEOUT = Setting.of("http_idle_timeout", LONG).defaultValue(30_000L)
      .help("MS", "Close a keep-alive HTTP connection idle between requests this long (never WebSockets or live "
          + "XHR streams).").check(v -> v > 0, "must be positive").build();
  public static final Setting<Integer> HTTP_IP_LIMIT = Setting.of("http_ip_limit", INT).defaultValue(256)
      .help("N", "Most HTTP connections from one address that are not WebSocket peers (trusted proxies exempt).")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Boolean> H2C = Setting.of("h2c", BOOL).defaultValue(false)
      .help("BOOL", "Accept HTTP/2 over cleartext (h2c upgrade and prior knowledge); off by default.").build();

  public static final List<Setting<?>> ALL = List.of(PROXIED, TRUSTED_PROXIES, CORS, WS_ORIGINS, IP_LIMIT,
      HEADER_TIMEOUT, BODY_TIMEOUT, HTTP_IDLE_TIMEOUT, HTTP_IP_LIMIT, H2C);

  private EdgeSettings() {
  }

  private static Function<List<String>, String> each(Function<String, String> problem) {
    return values -> values.stream().map(problem).filter(p -> p != null).findFirst().orElse(null);
  }

  // Any origin string is taken, custom schemes (capacitor://localhost) and "null" (file:// pages)
  // included, as PeerServer's cors takes it; only what could never equal a browser's Origin is refused.
  private static String originProblem(String origin) {
    if (origin == null || origin.isBlank()) {
      return "must not contain an empty origin";
    }
    if (!origin.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return "\"" + origin + "\" contains spaces or characters an Origin header never has";
    }
    int authority = origin.indexOf("://");
    if (authority > 0 && origin.indexOf('/', authority + 3) >= 0) {
      return origin + " has a path; browsers send an origin as scheme://host[:port] without one";
    }
    return null;
  }
}

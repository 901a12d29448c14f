package dev.switchboard.config;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.BOOL;
import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;

/** The broker's own settings, PeerServer's flags first (same names, short forms and meaning). */
public final class ServerSettings {
  public static final Setting<Integer> PORT = Setting.of("port", INT).defaultValue(9000)
      .shortNames("-p").env("PORT").help("PORT", "Port to listen on (env PORT).")
      .check(v -> v >= 0 && v <= 65535, "must be 0..65535").build();
  public static final Setting<String> HOST = Setting.of("host", STRING).defaultValue("0.0.0.0")
      .shortNames("-H").help("HOST", "Address to listen on.")
      .check(v -> v != null && !v.isBlank(), "must not be empty").build();
  /** Always starts and ends with '/', as PeerJS normalizes its path. */
  public static final Setting<String> PATH = Setting.of("path", STRING).defaultValue("/")
      .env("PEERSERVER_PATH").help("PATH", "Path the API and WebSocket live under (env PEERSERVER_PATH).")
      .normalize(ServerSettings::normalizePath).build();
  /** PeerJS's {@code key} option; PeerServer's public default {@code peerjs} is not masked. */
  public static final Setting<String> KEY = Setting.of("key", STRING).defaultValue("peerjs").secret()
      .shortNames("-k").help("KEY", "Key clients must present.")
      .check(v -> v != null && !v.isEmpty(), "must not be empty").build();
  public static final Setting<Long> EXPIRE_TIMEOUT = Setting.of("expire_timeout", LONG).defaultValue(5_000L)
      .shortNames("-t").help("MS", "How long messages wait for an absent peer before the sender gets EXPIRE.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> ALIVE_TIMEOUT = Setting.of("alive_timeout", LONG).defaultValue(90_000L)
      .help("MS", "Disconnect a peer that sent nothing for this long.").check(v -> v > 0, "must be positive").build();
  public static final Setting<Integer> CONCURRENT_LIMIT = Setting.of("concurrent_limit", INT).defaultValue(5_000)
      .shortNames("-c").help("N", "Most peers connected at once.").check(v -> v > 0, "must be positive").build();
  public static final Setting<Boolean> ALLOW_DISCOVERY = Setting.of("allow_discovery", BOOL).defaultValue(false)
      .help("BOOL", "Let GET {path}{key}/peers list connected ids.").build();
  public static final Setting<Integer> MAX_MESSAGE_SIZE = Setting.of("max_message_size", INT).defaultValue(64 * 1024)
      .help("BYTES", "Largest client message accepted; larger ones close the sender with 1009.")
      .check(v -> v >= 256, "must be at least 256").build();
  public static final Setting<Integer> MAX_ID_LENGTH = Setting.of("max_id_length", INT).defaultValue(64)
      .help("N", "Longest peer id accepted.").check(v -> v > 0, "must be positive").build();
  public static final Setting<Integer> SEND_BUFFER = Setting.of("send_buffer", INT).defaultValue(1024 * 1024)
      .help("BYTES", "Unsent bytes a connection may hold before it is closed as too slow.").build();
  public static final Setting<Integer> EVENT_LOOPS = Setting.of("event_loops", INT).defaultValue(0)
      .help("N", "Event loops serving connections; 0 means one per core.")
      .check(v -> v >= 0, "must not be negative").build();
  public static final Setting<String> LOOP_PLACEMENT = Setting.of("loop_placement", STRING).defaultValue("pack")
      .help("MODE", "pack: connected peers share the first event loop not busy, so relays wake no other loop;"
          + " accepted: each peer stays on the loop that accepted it.")
      .check(v -> "pack".equals(v) || "accepted".equals(v), "must be pack or accepted").build();
  public static final Setting<String> TRANSPORT = Setting.of("transport", STRING).defaultValue("auto")
      .help("NAME", "Network transport: auto (io_uring where the kernel offers it, else epoll on Linux, else NIO), epoll, io_uring or nio.")
      .check(v -> List.of("auto", "epoll", "io_uring", "nio").contains(v), "must be auto, epoll, io_uring or nio")
      .build();
  public static final Setting<Long> DRAIN_TIMEOUT = Setting.of("drain_timeout", LONG).defaultValue(10_000L)
      .help("MS", "On SIGTERM/SIGINT, how long to wait for peers to leave before stopping.")
      .check(v -> v >= 0, "must not be negative").build();
  public static final Setting<String> LOG_FORMAT = Setting.of("log_format", STRING).defaultValue("text")
      .help("FORMAT", "Log lines as text or json.")
      .check(v -> "text".equals(v) || "json".equals(v), "must be text or json").build();

  public static final List<Setting<?>> ALL = List.of(PORT, HOST, PATH, KEY, EXPIRE_TIMEOUT, ALIVE_TIMEOUT,
      CONCURRENT_LIMIT, ALLOW_DISCOVERY, MAX_MESSAGE_SIZE, MAX_ID_LENGTH, SEND_BUFFER, EVENT_LOOPS, LOOP_PLACEMENT, TRANSPORT, DRAIN_TIMEOUT,
      LOG_FORMAT);

  /** Checks between these settings. */
  public static final Consumer<SwitchboardOptions> RULES = options -> Settings.check(
      options.get(SEND_BUFFER) >= options.get(MAX_MESSAGE_SIZE), SEND_BUFFER, "must be at least max_message_size");

  private ServerSettings() {
  }

  /** The path in canonical form: leading and trailing '/'. PeerJS normalizes its path the same way. */
  static String normalizePath(String path) {
    String p = path.isEmpty() ? "/" : path;
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    if (!p.endsWith("/")) {
      p = p + "/";
    }
    return p;
  }
}

package dev.switchboard.config;

import dev.switchboard.proxy.AddressRange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the broker can be told. Names and defaults follow PeerServer's CLI where it has the
 * setting. Use {@link #validate()} (done by {@link dev.switchboard.Switchboard#start}) before use.
 */
public class SwitchboardOptions {
  /** Options without a default: {@link #toJson()} leaves them out while they are unset. */
  public static final Set<String> OPTIONAL_KEYS = Set.of("sslkey", "sslcert", "cluster_host",
      "cluster_config", "jwt_secret", "jwt_public_key", "jwt_jwks_url", "jwt_issuer", "jwt_audience", "session_url",
      "auth_cookie", "on_duplicate");

  public static final int DEFAULT_PORT = 9000;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final String DEFAULT_PATH = "/";
  public static final String DEFAULT_KEY = "peerjs";
  public static final long DEFAULT_EXPIRE_TIMEOUT = 5_000;
  public static final long DEFAULT_ALIVE_TIMEOUT = 90_000;
  public static final int DEFAULT_CONCURRENT_LIMIT = 5_000;
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
  public static final int DEFAULT_MAX_QUEUE_PER_PEER = 1_000;
  public static final int DEFAULT_MAX_QUEUED_TOTAL = 100_000;
  public static final int DEFAULT_MAX_ID_LENGTH = 64;
  public static final int DEFAULT_SEND_BUFFER = 1024 * 1024;
  public static final long DEFAULT_XHR_GRACE_PERIOD = 5_000;
  public static final long DEFAULT_XHR_POLL_TIMEOUT = 20_000;
  /** Loopback: a proxy on the same machine. */
  public static final List<String> DEFAULT_TRUSTED_PROXIES = List.of("127.0.0.0/8", "::1");
  /** PeerServer 0.x's default {@code ip_limit}. */
  public static final int DEFAULT_IP_LIMIT = 5_000;
  /** {@code /metrics} on the broker's own port. */
  public static final int DEFAULT_METRICS_PORT = -1;
  public static final long DEFAULT_DRAIN_TIMEOUT = 10_000;
  public static final long DEFAULT_CERT_RELOAD_INTERVAL = 10_000;
  public static final String DEFAULT_LOG_FORMAT = "text";
  public static final int DEFAULT_CLUSTER_PORT = 5701;
  public static final String DEFAULT_CLUSTER_NAME = "switchboard";
  public static final String DEFAULT_AUTH = "none";
  public static final String DEFAULT_JWT_USER_CLAIM = "sub";
  public static final String DEFAULT_SESSION_USER_FIELD = "userId";
  public static final long DEFAULT_SESSION_TIMEOUT = 3_000;
  public static final long DEFAULT_SESSION_CACHE_TTL = 60_000;
  public static final long DEFAULT_SESSION_REFUSAL_TTL = 5_000;
  public static final String DEFAULT_ID_POLICY = "exact";
  // Calls, and the reconnect grace that calls (and later rooms, presence, webhooks) share: docs/calls.md.
  public static final long DEFAULT_RECONNECT_GRACE = 10_000;
  public static final long DEFAULT_LEAVE_ON_DISCONNECT = 0;
  public static final int DEFAULT_MAX_CALLS_PER_PEER = 4;
  public static final int DEFAULT_MAX_CALLS = 10_000;
  public static final long DEFAULT_MAX_CALL_DURATION = 4 * 3_600_000L;
  public static final int DEFAULT_MAX_CALL_METADATA = 4096;
  /** HS* keys shorter than their hash are weak (RFC 7518 §3.2); HS256 needs 32 bytes. */
  public static final int MIN_JWT_SECRET_BYTES = 32;

  /** TCP port to listen on (0: any free port). */
  private int port = DEFAULT_PORT;
  /** Address to listen on. */
  private String host = DEFAULT_HOST;
  /** URL path the API and WebSocket live under; always starts and ends with '/'. */
  private String path = DEFAULT_PATH;
  /** The key clients must present (PeerJS's {@code key} option). */
  private String key = DEFAULT_KEY;
  /** How long messages wait for an absent peer before their senders get EXPIRE (ms). */
  private long expireTimeout = DEFAULT_EXPIRE_TIMEOUT;
  /** How long a peer may send nothing before it is disconnected (ms). */
  private long aliveTimeout = DEFAULT_ALIVE_TIMEOUT;
  /** The most peers connected at once. */
  private int concurrentLimit = DEFAULT_CONCURRENT_LIMIT;
  /** Whether {@code GET {path}{key}/peers} lists connected ids. */
  private boolean allowDiscovery;
  /** Whether the broker runs behind a reverse proxy. */
  private boolean proxied;
  /** PEM private key file for TLS. */
  private String sslKey;
  /** PEM certificate (chain) file for TLS. */
  private String sslCert;
  /** Origins allowed by CORS; empty means any origin. */
  private List<String> cors = new ArrayList<>();
  /** Largest client frame accepted, in bytes. */
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  /** Most messages queued for one absent peer. */
  private int maxQueuePerPeer = DEFAULT_MAX_QUEUE_PER_PEER;
  /** Most messages queued for all absent peers together. */
  private int maxQueuedTotal = DEFAULT_MAX_QUEUED_TOTAL;
  /** Longest peer id accepted. */
  private int maxIdLength = DEFAULT_MAX_ID_LENGTH;
  /** Unsent bytes one peer's connection may hold before it is closed as too slow. */
  private int sendBuffer = DEFAULT_SEND_BUFFER;
  /** Event loops serving connections (0: one per core). */
  private int eventLoops;
  /** How long an XHR peer may be without a stream or poll before it is removed (ms). */
  private long xhrGracePeriod = DEFAULT_XHR_GRACE_PERIOD;
  /** How long a long-poll is held open when there is nothing to deliver (ms). */
  private long xhrPollTimeout = DEFAULT_XHR_POLL_TIMEOUT;
  /** Addresses or CIDR ranges of proxies whose forwarding headers are believed (with {@code proxied}). */
  private List<String> trustedProxies = new ArrayList<>(DEFAULT_TRUSTED_PROXIES);
  /** Origins allowed to open WebSockets; empty means the {@code cors} list (and any when that is empty too). */
  private List<String> wsOrigins = new ArrayList<>();
  /** Most peers connected at once from one client address. */
  private int ipLimit = DEFAULT_IP_LIMIT;
  /** Port of a separate server for /metrics (-1: on the broker's port; 0: any free port). */
  private int metricsPort = DEFAULT_METRICS_PORT;
  /** How long a graceful shutdown waits for peers to go before it stops anyway (ms). */
  private long drainTimeout = DEFAULT_DRAIN_TIMEOUT;
  /** How often the TLS key and certificate files are checked for changes (ms; 0: only on SIGHUP). */
  private long certReloadInterval = DEFAULT_CERT_RELOAD_INTERVAL;
  /** Log line format: {@code text} or {@code json}. */
  private String logFormat = DEFAULT_LOG_FORMAT;
  /** Whether this broker is one node of a cluster (Vert.x clustering with Hazelcast). */
  private boolean cluster;
  /** Address the cluster traffic binds to and is advertised on (null: Hazelcast picks one). */
  private String clusterHost;
  /** Hazelcast's member port. */
  private int clusterPort = DEFAULT_CLUSTER_PORT;
  /** Other members to join over TCP/IP, {@code host:port}; multicast is never used. */
  private List<String> clusterMembers = new ArrayList<>();
  /** A Hazelcast XML or YAML configuration file used instead of the flags above (Kubernetes discovery …). */
  private String clusterConfig;
  /** The cluster's name: nodes only join a cluster of the same name. */
  private String clusterName = DEFAULT_CLUSTER_NAME;
  /** Port of the Vert.x event bus between nodes (0: any free port, advertised through Hazelcast). */
  private int clusterBusPort;
  /** Nodes the cluster is meant to have, for the split-brain quorum (0: the distinct cluster_members). */
  private int clusterSize;
  /** How peers prove who they are: none (PeerServer), jwt or session. */
  private String auth = DEFAULT_AUTH;
  /** Shared secret for HS256/384/512 JWTs (auth jwt). Never logged. */
  private String jwtSecret;
  /** PEM file with the public key for RS*, PS* or ES* JWTs (auth jwt). */
  private String jwtPublicKey;
  /** URL of a JWK set to verify JWTs with, refreshed periodically and on an unknown kid (auth jwt). */
  private String jwtJwksUrl;
  /** Required {@code iss} of JWTs, if set. */
  private String jwtIssuer;
  /** Required {@code aud} of JWTs, if set. */
  private String jwtAudience;
  /** The JWT claim holding the user id. */
  private String jwtUserClaim = DEFAULT_JWT_USER_CLAIM;
  /** Session service asked {@code GET URL} with {@code Authorization: Bearer <token>} (auth session). */
  private String sessionUrl;
  /** Field of the session service's JSON answer holding the user id. */
  private String sessionUserField = DEFAULT_SESSION_USER_FIELD;
  /** How long to wait for the session service before answering "unavailable" (ms). */
  private long sessionTimeout = DEFAULT_SESSION_TIMEOUT;
  /** How long an accepted token is remembered (ms; 0: not cached). */
  private long sessionCacheTtl = DEFAULT_SESSION_CACHE_TTL;
  /** How long a refused token is remembered (ms; 0: not cached). */
  private long sessionRefusalTtl = DEFAULT_SESSION_REFUSAL_TTL;
  /** Cookie that carries the token, checked before PeerJS's own token (auth jwt|session). */
  private String authCookie;
  /** How a peer id relates to its user id: exact, or device (user id plus a suffix). */
  private String idPolicy = DEFAULT_ID_POLICY;
  /** reject or takeover when an id is held; unset: takeover with auth on, reject without. */
  private String onDuplicate;
  /** How long a peer may be gone before calls (rooms, presence …) treat it as gone for good (ms). */
  private long reconnectGrace = DEFAULT_RECONNECT_GRACE;
  /** Send LEAVE on behalf of a peer gone this long to the peers it signalled with (ms; 0: never). */
  private long leaveOnDisconnect = DEFAULT_LEAVE_ON_DISCONNECT;
  /** Most calls (ringing or active) one peer may be a party of. */
  private int maxCallsPerPeer = DEFAULT_MAX_CALLS_PER_PEER;
  /** Most calls one node keeps (as their home) at once. */
  private int maxCalls = DEFAULT_MAX_CALLS;
  /** Longest a call may last from its invite (ms). */
  private long maxCallDuration = DEFAULT_MAX_CALL_DURATION;
  /** Largest serialized {@code metadata} of a CALL-INVITE (bytes). */
  private int maxCallMetadata = DEFAULT_MAX_CALL_METADATA;

  public SwitchboardOptions() {
  }

  public SwitchboardOptions(SwitchboardOptions other) {
    this(other.toJson());
  }

  /** Reads options from JSON with the CLI's key names ({@code expire_timeout} …); unknown keys fail. */
  public SwitchboardOptions(JsonObject json) {
    for (String name : json.fieldNames()) {
      Object value = json.getValue(name);
      try {
        set(name, value);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid value for " + name + ": " + value, e);
      }
    }
  }

  private void set(String name, Object value) {
    switch (name) {
      case "port": setPort(((Number) value).intValue()); break;
      case "host": setHost((String) value); break;
      case "path": setPath((String) value); break;
      case "key": setKey((String) value); break;
      case "expire_timeout": setExpireTimeout(((Number) value).longValue()); break;
      case "alive_timeout": setAliveTimeout(((Number) value).longValue()); break;
      case "concurrent_limit": setConcurrentLimit(((Number) value).intValue()); break;
      case "allow_discovery": setAllowDiscovery((Boolean) value); break;
      case "proxied": setProxied((Boolean) value); break;
      case "sslkey": setSslKey((String) value); break;
      case "sslcert": setSslCert((String) value); break;
      case "cors": setCors(((JsonArray) value).getList()); break;
      case "max_message_size": setMaxMessageSize(((Number) value).intValue()); break;
      case "max_queue_per_peer": setMaxQueuePerPeer(((Number) value).intValue()); break;
      case "max_queued_total": setMaxQueuedTotal(((Number) value).intValue()); break;
      case "max_id_length": setMaxIdLength(((Number) value).intValue()); break;
      case "send_buffer": setSendBuffer(((Number) value).intValue()); break;
      case "event_loops": setEventLoops(((Number) value).intValue()); break;
      case "xhr_grace_period": setXhrGracePeriod(((Number) value).longValue()); break;
      case "xhr_poll_timeout": setXhrPollTimeout(((Number) value).longValue()); break;
      case "trusted_proxies": setTrustedProxies(((JsonArray) value).getList()); break;
      case "ws_origins": setWsOrigins(((JsonArray) value).getList()); break;
      case "ip_limit": setIpLimit(((Number) value).intValue()); break;
      case "metrics_port": setMetricsPort(((Number) value).intValue()); break;
      case "drain_timeout": setDrainTimeout(((Number) value).longValue()); break;
      case "cert_reload_interval": setCertReloadInterval(((Number) value).longValue()); break;
      case "log_format": setLogFormat((String) value); break;
      case "cluster": setCluster((Boolean) value); break;
      case "cluster_host": setClusterHost((String) value); break;
      case "cluster_port": setClusterPort(((Number) value).intValue()); break;
      case "cluster_members": setClusterMembers(((JsonArray) value).getList()); break;
      case "cluster_config": setClusterConfig((String) value); break;
      case "cluster_name": setClusterName((String) value); break;
      case "cluster_bus_port": setClusterBusPort(((Number) value).intValue()); break;
      case "cluster_size": setClusterSize(((Number) value).intValue()); break;
      case "auth": setAuth((String) value); break;
      case "jwt_secret": setJwtSecret((String) value); break;
      case "jwt_public_key": setJwtPublicKey((String) value); break;
      case "jwt_jwks_url": setJwtJwksUrl((String) value); break;
      case "jwt_issuer": setJwtIssuer((String) value); break;
      case "jwt_audience": setJwtAudience((String) value); break;
      case "jwt_user_claim": setJwtUserClaim((String) value); break;
      case "session_url": setSessionUrl((String) value); break;
      case "session_user_field": setSessionUserField((String) value); break;
      case "session_timeout": setSessionTimeout(((Number) value).longValue()); break;
      case "session_cache_ttl": setSessionCacheTtl(((Number) value).longValue()); break;
      case "session_refusal_ttl": setSessionRefusalTtl(((Number) value).longValue()); break;
      case "auth_cookie": setAuthCookie((String) value); break;
      case "id_policy": setIdPolicy((String) value); break;
      case "on_duplicate": setOnDuplicate((String) value); break;
      case "reconnect_grace": setReconnectGrace(((Number) value).longValue()); break;
      case "leave_on_disconnect": setLeaveOnDisconnect(((Number) value).longValue()); break;
      case "max_calls_per_peer": setMaxCallsPerPeer(((Number) value).intValue()); break;
      case "max_calls": setMaxCalls(((Number) value).intValue()); break;
      case "max_call_duration": setMaxCallDuration(((Number) value).longValue()); break;
      case "max_call_metadata": setMaxCallMetadata(((Number) value).intValue()); break;
      default: throw new IllegalArgumentException("Unknown option " + name);
    }
  }

  /** The options as JSON with the secret left out: what may be logged. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    if (json.containsKey("jwt_secret")) {
      json.put("jwt_secret", "(secret)");
    }
    return json.encode();
  }

  /** All options with the CLI's key names, the JWT secret included: never log this, use {@link #toString()}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("port", port).put("host", host).put("path", path).put("key", key)
        .put("expire_timeout", expireTimeout).put("alive_timeout", aliveTimeout)
        .put("concurrent_limit", concurrentLimit).put("allow_discovery", allowDiscovery)
        .put("proxied", proxied).put("cors", new JsonArray(new ArrayList<>(cors)))
        .put("max_message_size", maxMessageSize).put("max_queue_per_peer", maxQueuePerPeer)
        .put("max_queued_total", maxQueuedTotal).put("max_id_length", maxIdLength)
        .put("send_buffer", sendBuffer).put("event_loops", eventLoops)
        .put("xhr_grace_period", xhrGracePeriod).put("xhr_poll_timeout", xhrPollTimeout)
        .put("trusted_proxies", new JsonArray(new ArrayList<>(trustedProxies)))
        .put("ws_origins", new JsonArray(new ArrayList<>(wsOrigins))).put("ip_limit", ipLimit)
        .put("metrics_port", metricsPort).put("drain_timeout", drainTimeout)
        .put("cert_reload_interval", certReloadInterval).put("log_format", logFormat)
        .put("cluster", cluster).put("cluster_port", clusterPort)
        .put("cluster_members", new JsonArray(new ArrayList<>(clusterMembers)))
        .put("cluster_name", clusterName).put("cluster_bus_port", clusterBusPort)
        .put("cluster_size", clusterSize);
    if (clusterHost != null) {
      json.put("cluster_host", clusterHost);
    }
    if (clusterConfig != null) {
      json.put("cluster_config", clusterConfig);
    }
    if (sslKey != null) {
      json.put("sslkey", sslKey);
    }
    if (sslCert != null) {
      json.put("sslcert", sslCert);
    }
    json.put("auth", auth).put("jwt_user_claim", jwtUserClaim).put("session_user_field", sessionUserField)
        .put("session_timeout", sessionTimeout).put("session_cache_ttl", sessionCacheTtl)
        .put("session_refusal_ttl", sessionRefusalTtl).put("id_policy", idPolicy);
    putIfSet(json, "jwt_secret", jwtSecret);
    putIfSet(json, "jwt_public_key", jwtPublicKey);
    putIfSet(json, "jwt_jwks_url", jwtJwksUrl);
    putIfSet(json, "jwt_issuer", jwtIssuer);
    putIfSet(json, "jwt_audience", jwtAudience);
    putIfSet(json, "session_url", sessionUrl);
    putIfSet(json, "auth_cookie", authCookie);
    putIfSet(json, "on_duplicate", onDuplicate);
    json.put("reconnect_grace", reconnectGrace).put("leave_on_disconnect", leaveOnDisconnect)
        .put("max_calls_per_peer", maxCallsPerPeer).put("max_calls", maxCalls)
        .put("max_call_duration", maxCallDuration).put("max_call_metadata", maxCallMetadata);
    return json;
  }

  /**
   * Checks the options as a whole.
   *
   * @throws IllegalArgumentException naming the first bad option
   */
  public SwitchboardOptions validate() {
    check(port >= 0 && port <= 65535, "port", "must be 0..65535");
    check(host != null && !host.isBlank(), "host", "must not be empty");
    check(key != null && !key.isEmpty(), "key", "must not be empty");
    check(expireTimeout > 0, "expire_timeout", "must be positive");
    check(aliveTimeout > 0, "alive_timeout", "must be positive");
    check(concurrentLimit > 0, "concurrent_limit", "must be positive");
    check(maxMessageSize >= 256, "max_message_size", "must be at least 256");
    check(maxQueuePerPeer >= 0, "max_queue_per_peer", "must not be negative");
    check(maxQueuedTotal >= 0, "max_queued_total", "must not be negative");
    check(maxIdLength > 0, "max_id_length", "must be positive");
    check(sendBuffer >= maxMessageSize, "send_buffer", "must be at least max_message_size");
    check(eventLoops >= 0, "event_loops", "must not be negative");
    check(xhrGracePeriod > 0, "xhr_grace_period", "must be positive");
    check(xhrPollTimeout > 0, "xhr_poll_timeout", "must be positive");
    check((sslKey == null) == (sslCert == null), sslKey == null ? "sslkey" : "sslcert",
        "sslkey and sslcert go together");
    for (String proxy : trustedProxies) {
      check(AddressRange.isValid(proxy), "trusted_proxies", "not an address or CIDR range: " + proxy);
    }
    for (String origin : wsOrigins) {
      check(origin != null && !origin.isBlank(), "ws_origins", "must not contain an empty origin");
    }
    check(ipLimit > 0, "ip_limit", "must be positive");
    check(metricsPort >= -1 && metricsPort <= 65535, "metrics_port", "must be -1 (same port), 0 (any) or 1..65535");
    check(drainTimeout >= 0, "drain_timeout", "must not be negative");
    check(certReloadInterval == 0 || certReloadInterval >= 100, "cert_reload_interval",
        "must be 0 (only on SIGHUP) or at least 100");
    check("text".equals(logFormat) || "json".equals(logFormat), "log_format", "must be text or json");
    check(clusterPort > 0 && clusterPort <= 65535, "cluster_port", "must be 1..65535");
    check(clusterBusPort >= 0 && clusterBusPort <= 65535, "cluster_bus_port", "must be 0..65535");
    check(clusterSize >= 0, "cluster_size", "must be 0 (count cluster_members) or a number of nodes");
    check(clusterName != null && !clusterName.isBlank(), "cluster_name", "must not be empty");
    for (String member : clusterMembers) {
      check(member.matches("[^\\s:,]+(:\\d{1,5})?"), "cluster_members", "must be host or host:port, got " + member);
    }
    check(clusterConfig == null || clusterMembers.isEmpty(), "cluster_members",
        "give the members in the cluster_config file instead");
    validateAuth();
    check(reconnectGrace >= 0, "reconnect_grace", "must not be negative");
    check(leaveOnDisconnect >= 0, "leave_on_disconnect", "must be 0 (off) or a number of ms");
    check(maxCallsPerPeer > 0, "max_calls_per_peer", "must be positive");
    check(maxCalls > 0, "max_calls", "must be positive");
    check(maxCallDuration >= 60_000, "max_call_duration", "must be at least 60000");
    check(maxCallMetadata >= 0 && maxCallMetadata < maxMessageSize, "max_call_metadata",
        "must be 0..max_message_size");
    return this;
  }

  // Fail closed: an auth setting without its mode means someone expects a check that would not happen.
  private void validateAuth() {
    check(List.of("none", "jwt", "session").contains(auth), "auth", "must be none, jwt or session");
    check(List.of("exact", "device").contains(idPolicy), "id_policy", "must be exact or device");
    check(onDuplicate == null || List.of("reject", "takeover").contains(onDuplicate), "on_duplicate",
        "must be reject or takeover");
    boolean jwt = "jwt".equals(auth);
    boolean session = "session".equals(auth);
    for (String[] option : new String[][] {{"jwt_secret", jwtSecret}, {"jwt_public_key", jwtPublicKey},
        {"jwt_jwks_url", jwtJwksUrl}, {"jwt_issuer", jwtIssuer}, {"jwt_audience", jwtAudience}}) {
      check(jwt || option[1] == null, option[0], "is set but auth is " + auth + ", not jwt");
    }
    check(session || sessionUrl == null, "session_url", "is set but auth is " + auth + ", not session");
    check(!"none".equals(auth) || authCookie == null, "auth_cookie", "is set but auth is none");
    check(!"none".equals(auth) || "exact".equals(idPolicy), "id_policy", "device needs auth jwt or session");
    check(!"none".equals(auth) || !"takeover".equals(onDuplicate), "on_duplicate",
        "takeover needs auth jwt or session: without it nothing proves the newer connection is the same user");
    if (jwt) {
      int keySources = (jwtSecret != null ? 1 : 0) + (jwtPublicKey != null ? 1 : 0) + (jwtJwksUrl != null ? 1 : 0);
      check(keySources == 1, "jwt_secret",
          "auth jwt needs exactly one of jwt_secret, jwt_public_key or jwt_jwks_url");
      check(jwtSecret == null || jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= MIN_JWT_SECRET_BYTES,
          "jwt_secret", "must be at least " + MIN_JWT_SECRET_BYTES + " bytes");
      check(jwtJwksUrl == null || isHttpUrl(jwtJwksUrl), "jwt_jwks_url", "must be an http(s) URL");
      check(jwtUserClaim != null && !jwtUserClaim.isEmpty(), "jwt_user_claim", "must not be empty");
    }
    if (session) {
      check(sessionUrl != null && isHttpUrl(sessionUrl), "session_url", "auth session needs an http(s) URL");
      check(sessionUserField != null && !sessionUserField.isEmpty(), "session_user_field", "must not be empty");
      check(sessionTimeout > 0, "session_timeout", "must be positive");
      check(sessionCacheTtl >= 0, "session_cache_ttl", "must not be negative");
      check(sessionRefusalTtl >= 0, "session_refusal_ttl", "must not be negative");
    }
    check(authCookie == null || authCookie.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"), "auth_cookie",
        "must be a cookie name");
  }

  private static boolean isHttpUrl(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static void putIfSet(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static void check(boolean ok, String option, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid " + option + ": " + rule);
    }
  }

  /** The path in canonical form: leading and trailing '/'. PeerJS normalizes its path the same way. */
  static String normalizePath(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    if (!p.endsWith("/")) {
      p = p + "/";
    }
    return p;
  }

  public int getPort() { return port; }
  public SwitchboardOptions setPort(int port) { this.port = port; return this; }
  public String getHost() { return host; }
  public SwitchboardOptions setHost(String host) { this.host = host; return this; }
  public String getPath() { return path; }
  public SwitchboardOptions setPath(String path) { this.path = normalizePath(path); return this; }
  public String getKey() { return key; }
  public SwitchboardOptions setKey(String key) { this.key = key; return this; }
  public long getExpireTimeout() { return expireTimeout; }
  public SwitchboardOptions setExpireTimeout(long ms) { this.expireTimeout = ms; return this; }
  public long getAliveTimeout() { return aliveTimeout; }
  public SwitchboardOptions setAliveTimeout(long ms) { this.aliveTimeout = ms; return this; }
  public int getConcurrentLimit() { return concurrentLimit; }
  public SwitchboardOptions setConcurrentLimit(int limit) { this.concurrentLimit = limit; return this; }
  public boolean isAllowDiscovery() { return allowDiscovery; }
  public SwitchboardOptions setAllowDiscovery(boolean allow) { this.allowDiscovery = allow; return this; }
  public boolean isProxied() { return proxied; }
  public SwitchboardOptions setProxied(boolean proxied) { this.proxied = proxied; return this; }
  public String getSslKey() { return sslKey; }
  public SwitchboardOptions setSslKey(String file) { this.sslKey = file; return this; }
  public String getSslCert() { return sslCert; }
  public SwitchboardOptions setSslCert(String file) { this.sslCert = file; return this; }
  public List<String> getCors() { return List.copyOf(cors); }
  public SwitchboardOptions setCors(List<?> origins) {
    List<String> copy = new ArrayList<>();
    for (Object origin : origins) {
      copy.add((String) origin);
    }
    this.cors = copy;
    return this;
  }
  public int getMaxMessageSize() { return maxMessageSize; }
  public SwitchboardOptions setMaxMessageSize(int bytes) { this.maxMessageSize = bytes; return this; }
  public int getMaxQueuePerPeer() { return maxQueuePerPeer; }
  public SwitchboardOptions setMaxQueuePerPeer(int max) { this.maxQueuePerPeer = max; return this; }
  public int getMaxQueuedTotal() { return maxQueuedTotal; }
  public SwitchboardOptions setMaxQueuedTotal(int max) { this.maxQueuedTotal = max; return this; }
  public int getMaxIdLength() { return maxIdLength; }
  public SwitchboardOptions setMaxIdLength(int max) { this.maxIdLength = max; return this; }
  public int getSendBuffer() { return sendBuffer; }
  public SwitchboardOptions setSendBuffer(int bytes) { this.sendBuffer = bytes; return this; }
  public int getEventLoops() { return eventLoops; }
  public SwitchboardOptions setEventLoops(int count) { this.eventLoops = count; return this; }
  public long getXhrGracePeriod() { return xhrGracePeriod; }
  public SwitchboardOptions setXhrGracePeriod(long ms) { this.xhrGracePeriod = ms; return this; }
  public long getXhrPollTimeout() { return xhrPollTimeout; }
  public SwitchboardOptions setXhrPollTimeout(long ms) { this.xhrPollTimeout = ms; return this; }
  public List<String> getTrustedProxies() { return List.copyOf(trustedProxies); }
  public SwitchboardOptions setTrustedProxies(List<?> proxies) { this.trustedProxies = strings(proxies); return this; }
  public List<String> getWsOrigins() { return List.copyOf(wsOrigins); }
  public SwitchboardOptions setWsOrigins(List<?> origins) { this.wsOrigins = strings(origins); return this; }
  public int getIpLimit() { return ipLimit; }
  public SwitchboardOptions setIpLimit(int limit) { this.ipLimit = limit; return this; }
  public int getMetricsPort() { return metricsPort; }
  public SwitchboardOptions setMetricsPort(int port) { this.metricsPort = port; return this; }
  public long getDrainTimeout() { return drainTimeout; }
  public SwitchboardOptions setDrainTimeout(long ms) { this.drainTimeout = ms; return this; }
  public long getCertReloadInterval() { return certReloadInterval; }
  public SwitchboardOptions setCertReloadInterval(long ms) { this.certReloadInterval = ms; return this; }
  public String getLogFormat() { return logFormat; }
  public SwitchboardOptions setLogFormat(String format) { this.logFormat = format; return this; }

  private static List<String> strings(List<?> values) {
    List<String> copy = new ArrayList<>();
    for (Object value : values) {
      copy.add((String) value);
    }
    return copy;
  }
  public boolean isCluster() { return cluster; }
  public SwitchboardOptions setCluster(boolean cluster) { this.cluster = cluster; return this; }
  public String getClusterHost() { return clusterHost; }
  public SwitchboardOptions setClusterHost(String host) { this.clusterHost = host; return this; }
  public int getClusterPort() { return clusterPort; }
  public SwitchboardOptions setClusterPort(int port) { this.clusterPort = port; return this; }
  public List<String> getClusterMembers() { return List.copyOf(clusterMembers); }
  public SwitchboardOptions setClusterMembers(List<?> members) {
    List<String> copy = new ArrayList<>();
    for (Object member : members) {
      copy.add(((String) member).trim());
    }
    this.clusterMembers = copy;
    return this;
  }
  public String getClusterConfig() { return clusterConfig; }
  public SwitchboardOptions setClusterConfig(String file) { this.clusterConfig = file; return this; }
  public String getClusterName() { return clusterName; }
  public SwitchboardOptions setClusterName(String name) { this.clusterName = name; return this; }
  public int getClusterBusPort() { return clusterBusPort; }
  public SwitchboardOptions setClusterBusPort(int port) { this.clusterBusPort = port; return this; }
  public int getClusterSize() { return clusterSize; }
  public SwitchboardOptions setClusterSize(int size) { this.clusterSize = size; return this; }
  public String getAuth() { return auth; }
  public SwitchboardOptions setAuth(String mode) { this.auth = mode; return this; }
  /** Whether peers must prove their identity (auth is jwt or session). */
  public boolean isAuthEnabled() { return !"none".equals(auth); }
  public String getJwtSecret() { return jwtSecret; }
  public SwitchboardOptions setJwtSecret(String secret) { this.jwtSecret = secret; return this; }
  public String getJwtPublicKey() { return jwtPublicKey; }
  public SwitchboardOptions setJwtPublicKey(String file) { this.jwtPublicKey = file; return this; }
  public String getJwtJwksUrl() { return jwtJwksUrl; }
  public SwitchboardOptions setJwtJwksUrl(String url) { this.jwtJwksUrl = url; return this; }
  public String getJwtIssuer() { return jwtIssuer; }
  public SwitchboardOptions setJwtIssuer(String issuer) { this.jwtIssuer = issuer; return this; }
  public String getJwtAudience() { return jwtAudience; }
  public SwitchboardOptions setJwtAudience(String audience) { this.jwtAudience = audience; return this; }
  public String getJwtUserClaim() { return jwtUserClaim; }
  public SwitchboardOptions setJwtUserClaim(String claim) { this.jwtUserClaim = claim; return this; }
  public String getSessionUrl() { return sessionUrl; }
  public SwitchboardOptions setSessionUrl(String url) { this.sessionUrl = url; return this; }
  public String getSessionUserField() { return sessionUserField; }
  public SwitchboardOptions setSessionUserField(String field) { this.sessionUserField = field; return this; }
  public long getSessionTimeout() { return sessionTimeout; }
  public SwitchboardOptions setSessionTimeout(long ms) { this.sessionTimeout = ms; return this; }
  public long getSessionCacheTtl() { return sessionCacheTtl; }
  public SwitchboardOptions setSessionCacheTtl(long ms) { this.sessionCacheTtl = ms; return this; }
  public long getSessionRefusalTtl() { return sessionRefusalTtl; }
  public SwitchboardOptions setSessionRefusalTtl(long ms) { this.sessionRefusalTtl = ms; return this; }
  public String getAuthCookie() { return authCookie; }
  public SwitchboardOptions setAuthCookie(String name) { this.authCookie = name; return this; }
  public String getIdPolicy() { return idPolicy; }
  public SwitchboardOptions setIdPolicy(String policy) { this.idPolicy = policy; return this; }
  /** The effective duplicate policy: as set, else takeover with auth on and reject without. */
  public String getOnDuplicate() { return onDuplicate != null ? onDuplicate : isAuthEnabled() ? "takeover" : "reject"; }
  public SwitchboardOptions setOnDuplicate(String policy) { this.onDuplicate = policy; return this; }
  public long getReconnectGrace() { return reconnectGrace; }
  public SwitchboardOptions setReconnectGrace(long ms) { this.reconnectGrace = ms; return this; }
  public long getLeaveOnDisconnect() { return leaveOnDisconnect; }
  public SwitchboardOptions setLeaveOnDisconnect(long ms) { this.leaveOnDisconnect = ms; return this; }
  public int getMaxCallsPerPeer() { return maxCallsPerPeer; }
  public SwitchboardOptions setMaxCallsPerPeer(int max) { this.maxCallsPerPeer = max; return this; }
  public int getMaxCalls() { return maxCalls; }
  public SwitchboardOptions setMaxCalls(int max) { this.maxCalls = max; return this; }
  public long getMaxCallDuration() { return maxCallDuration; }
  public SwitchboardOptions setMaxCallDuration(long ms) { this.maxCallDuration = ms; return this; }
  public int getMaxCallMetadata() { return maxCallMetadata; }
  public SwitchboardOptions setMaxCallMetadata(int bytes) { this.maxCallMetadata = bytes; return this; }
}

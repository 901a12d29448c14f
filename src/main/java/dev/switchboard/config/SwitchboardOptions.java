package dev.switchboard.config;

import dev.switchboard.auth.AuthSettings;
import dev.switchboard.calls.CallSettings;
import dev.switchboard.cluster.ClusterSettings;
import dev.switchboard.metrics.MetricsSettings;
import dev.switchboard.routing.QueueSettings;
import dev.switchboard.tls.TlsSettings;
import dev.switchboard.transport.EdgeSettings;
import dev.switchboard.transport.xhr.XhrSettings;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the broker can be told: a value for each {@link Setting} of {@link Settings#ALL}, its
 * default where none was set. Names and defaults follow PeerServer's CLI where it has the setting. Use
 * {@link #validate()} (done by {@link dev.switchboard.Switchboard#start}) before use.
 *
 * <p>Read and write a setting with {@link #get} and {@link #set} ({@code options.get(ServerSettings.PORT)});
 * the fluent accessors below are the embedding API kept from PeerServer-style options, each one line.
 */
public class SwitchboardOptions {
  private final Map<Setting<?>, Object> values = new HashMap<>();

  public SwitchboardOptions() {
  }

  public SwitchboardOptions(SwitchboardOptions other) {
    values.putAll(other.values);
  }

  /** Reads options from JSON with the CLI's key names ({@code expire_timeout} …); unknown keys fail. */
  public SwitchboardOptions(JsonObject json) {
    for (String name : json.fieldNames()) {
      Setting<?> setting = Settings.named(name);
      if (setting == null) {
        throw new IllegalArgumentException("Unknown option " + name);
      }
      Object value = json.getValue(name);
      try {
        setFromJson(setting, value);
      } catch (ClassCastException | IllegalArgumentException e) {
        throw new IllegalArgumentException("Invalid value for " + name + ": " + value, e);
      }
    }
  }

  private <T> void setFromJson(Setting<T> setting, Object value) {
    set(setting, setting.type().fromJson(value));
  }

  /** The value of {@code setting}: as set, else its default (null for an unset optional setting). */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return values.containsKey(setting) ? (T) values.get(setting) : setting.defaultValue();
  }

  /** Sets {@code setting}, in its canonical form (lists are copied); null unsets an optional setting. */
  public <T> SwitchboardOptions set(Setting<T> setting, T value) {
    values.put(setting, setting.normalize(value));
    return this;
  }

  /** The options as JSON with secrets masked (unless they are the public default): what may be logged. */
  @Override
  public String toString() {
    return masked("(secret)").encode();
  }

  /** All options with the CLI's key names, secrets included: never log this, use {@link #toString()}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (Setting<?> setting : Settings.ALL) {
      put(json, setting);
    }
    return json;
  }

  private <T> void put(JsonObject json, Setting<T> setting) {
    T value = get(setting);
    if (value != null) {
      json.put(setting.name(), setting.type().toJson(value));
    }
  }

  /** {@link #toJson()} with each secret that is not its public default replaced by {@code mask}. */
  JsonObject masked(String mask) {
    JsonObject json = toJson();
    for (Setting<?> setting : Settings.ALL) {
      Object value = get(setting);
      if (setting.secret() && value != null && !value.equals(setting.defaultValue())) {
        json.put(setting.name(), mask);
      }
    }
    return json;
  }

  /**
   * Checks each setting on its own, then the rules between settings.
   *
   * @throws InvalidSetting naming the first bad option
   */
  public SwitchboardOptions validate() {
    for (Setting<?> setting : Settings.ALL) {
      String problem = problem(setting);
      if (problem != null) {
        throw new InvalidSetting(setting.name(), problem);
      }
    }
    for (Consumer<SwitchboardOptions> rule : Settings.RULES) {
      rule.accept(this);
    }
    return this;
  }

  private <T> String problem(Setting<T> setting) {
    return setting.problem(get(setting));
  }

  /** Whether peers must prove their identity (auth is jwt or session). */
  public boolean isAuthEnabled() { return AuthSettings.enabled(this); }
  /** The total offline-queue bound in force for a heap of {@code maxHeap} bytes. */
  public long queuedBytesTotal(long maxHeap) { return QueueSettings.queuedBytesTotal(this, maxHeap); }
  /** The per-destination offline-queue bound in force. */
  public long queueBytesPerPeer(long maxHeap) { return QueueSettings.queueBytesPerPeer(this, maxHeap); }
  /** The per-sender offline-queue bound in force. */
  public long queueBytesPerSender(long maxHeap) { return QueueSettings.queueBytesPerSender(this, maxHeap); }

  public int getPort() { return get(ServerSettings.PORT); }
  public SwitchboardOptions setPort(int value) { return set(ServerSettings.PORT, value); }
  public String getHost() { return get(ServerSettings.HOST); }
  public SwitchboardOptions setHost(String value) { return set(ServerSettings.HOST, value); }
  public String getPath() { return get(ServerSettings.PATH); }
  public SwitchboardOptions setPath(String path) { return set(ServerSettings.PATH, path == null ? "/" : path); }
  public String getKey() { return get(ServerSettings.KEY); }
  public SwitchboardOptions setKey(String value) { return set(ServerSettings.KEY, value); }
  public long getExpireTimeout() { return get(ServerSettings.EXPIRE_TIMEOUT); }
  public SwitchboardOptions setExpireTimeout(long value) { return set(ServerSettings.EXPIRE_TIMEOUT, value); }
  public long getAliveTimeout() { return get(ServerSettings.ALIVE_TIMEOUT); }
  public SwitchboardOptions setAliveTimeout(long value) { return set(ServerSettings.ALIVE_TIMEOUT, value); }
  public int getConcurrentLimit() { return get(ServerSettings.CONCURRENT_LIMIT); }
  public SwitchboardOptions setConcurrentLimit(int value) { return set(ServerSettings.CONCURRENT_LIMIT, value); }
  public boolean isAllowDiscovery() { return get(ServerSettings.ALLOW_DISCOVERY); }
  public SwitchboardOptions setAllowDiscovery(boolean value) { return set(ServerSettings.ALLOW_DISCOVERY, value); }
  public int getMaxMessageSize() { return get(ServerSettings.MAX_MESSAGE_SIZE); }
  public SwitchboardOptions setMaxMessageSize(int value) { return set(ServerSettings.MAX_MESSAGE_SIZE, value); }
  public int getMaxIdLength() { return get(ServerSettings.MAX_ID_LENGTH); }
  public SwitchboardOptions setMaxIdLength(int value) { return set(ServerSettings.MAX_ID_LENGTH, value); }
  public int getSendBuffer() { return get(ServerSettings.SEND_BUFFER); }
  public SwitchboardOptions setSendBuffer(int value) { return set(ServerSettings.SEND_BUFFER, value); }
  public int getEventLoops() { return get(ServerSettings.EVENT_LOOPS); }
  public SwitchboardOptions setEventLoops(int value) { return set(ServerSettings.EVENT_LOOPS, value); }
  public long getDrainTimeout() { return get(ServerSettings.DRAIN_TIMEOUT); }
  public SwitchboardOptions setDrainTimeout(long value) { return set(ServerSettings.DRAIN_TIMEOUT, value); }
  public String getLogFormat() { return get(ServerSettings.LOG_FORMAT); }
  public SwitchboardOptions setLogFormat(String value) { return set(ServerSettings.LOG_FORMAT, value); }
  public int getMaxQueuePerPeer() { return get(QueueSettings.MAX_QUEUE_PER_PEER); }
  public SwitchboardOptions setMaxQueuePerPeer(int value) { return set(QueueSettings.MAX_QUEUE_PER_PEER, value); }
  public int getMaxQueuedTotal() { return get(QueueSettings.MAX_QUEUED_TOTAL); }
  public SwitchboardOptions setMaxQueuedTotal(int value) { return set(QueueSettings.MAX_QUEUED_TOTAL, value); }
  public long getMaxQueueBytesPerPeer() { return get(QueueSettings.MAX_QUEUE_BYTES_PER_PEER); }
  public SwitchboardOptions setMaxQueueBytesPerPeer(long value) { return set(QueueSettings.MAX_QUEUE_BYTES_PER_PEER, value); }
  public long getMaxQueueBytesPerSender() { return get(QueueSettings.MAX_QUEUE_BYTES_PER_SENDER); }
  public SwitchboardOptions setMaxQueueBytesPerSender(long value) { return set(QueueSettings.MAX_QUEUE_BYTES_PER_SENDER, value); }
  public long getMaxQueuedBytesTotal() { return get(QueueSettings.MAX_QUEUED_BYTES_TOTAL); }
  public SwitchboardOptions setMaxQueuedBytesTotal(long value) { return set(QueueSettings.MAX_QUEUED_BYTES_TOTAL, value); }
  public boolean isProxied() { return get(EdgeSettings.PROXIED); }
  public SwitchboardOptions setProxied(boolean value) { return set(EdgeSettings.PROXIED, value); }
  public List<String> getTrustedProxies() { return get(EdgeSettings.TRUSTED_PROXIES); }
  public SwitchboardOptions setTrustedProxies(List<?> values) { return set(EdgeSettings.TRUSTED_PROXIES, SettingType.strings(values)); }
  public List<String> getCors() { return get(EdgeSettings.CORS); }
  public SwitchboardOptions setCors(List<?> values) { return set(EdgeSettings.CORS, SettingType.strings(values)); }
  public List<String> getWsOrigins() { return get(EdgeSettings.WS_ORIGINS); }
  public SwitchboardOptions setWsOrigins(List<?> values) { return set(EdgeSettings.WS_ORIGINS, SettingType.strings(values)); }
  public int getIpLimit() { return get(EdgeSettings.IP_LIMIT); }
  public SwitchboardOptions setIpLimit(int value) { return set(EdgeSettings.IP_LIMIT, value); }
  public long getHeaderTimeout() { return get(EdgeSettings.HEADER_TIMEOUT); }
  public SwitchboardOptions setHeaderTimeout(long value) { return set(EdgeSettings.HEADER_TIMEOUT, value); }
  public long getBodyTimeout() { return get(EdgeSettings.BODY_TIMEOUT); }
  public SwitchboardOptions setBodyTimeout(long value) { return set(EdgeSettings.BODY_TIMEOUT, value); }
  public long getHttpIdleTimeout() { return get(EdgeSettings.HTTP_IDLE_TIMEOUT); }
  public SwitchboardOptions setHttpIdleTimeout(long value) { return set(EdgeSettings.HTTP_IDLE_TIMEOUT, value); }
  public int getHttpIpLimit() { return get(EdgeSettings.HTTP_IP_LIMIT); }
  public SwitchboardOptions setHttpIpLimit(int value) { return set(EdgeSettings.HTTP_IP_LIMIT, value); }
  public boolean isH2c() { return get(EdgeSettings.H2C); }
  public SwitchboardOptions setH2c(boolean value) { return set(EdgeSettings.H2C, value); }
  public String getSslKey() { return get(TlsSettings.SSLKEY); }
  public SwitchboardOptions setSslKey(String value) { return set(TlsSettings.SSLKEY, value); }
  public String getSslCert() { return get(TlsSettings.SSLCERT); }
  public SwitchboardOptions setSslCert(String value) { return set(TlsSettings.SSLCERT, value); }
  public long getCertReloadInterval() { return get(TlsSettings.CERT_RELOAD_INTERVAL); }
  public SwitchboardOptions setCertReloadInterval(long value) { return set(TlsSettings.CERT_RELOAD_INTERVAL, value); }
  public long getXhrGracePeriod() { return get(XhrSettings.XHR_GRACE_PERIOD); }
  public SwitchboardOptions setXhrGracePeriod(long value) { return set(XhrSettings.XHR_GRACE_PERIOD, value); }
  public long getXhrPollTimeout() { return get(XhrSettings.XHR_POLL_TIMEOUT); }
  public SwitchboardOptions setXhrPollTimeout(long value) { return set(XhrSettings.XHR_POLL_TIMEOUT, value); }
  public int getMetricsPort() { return get(MetricsSettings.METRICS_PORT); }
  public SwitchboardOptions setMetricsPort(int value) { return set(MetricsSettings.METRICS_PORT, value); }
  /** The metrics server's address: {@code metrics_host}, else {@code host}. */
  public String getMetricsHost() { String set = get(MetricsSettings.METRICS_HOST); return set != null ? set : getHost(); }
  public SwitchboardOptions setMetricsHost(String value) { return set(MetricsSettings.METRICS_HOST, value); }
  public boolean isCluster() { return get(ClusterSettings.CLUSTER); }
  public SwitchboardOptions setCluster(boolean value) { return set(ClusterSettings.CLUSTER, value); }
  public String getClusterHost() { return get(ClusterSettings.CLUSTER_HOST); }
  public SwitchboardOptions setClusterHost(String value) { return set(ClusterSettings.CLUSTER_HOST, value); }
  public int getClusterPort() { return get(ClusterSettings.CLUSTER_PORT); }
  public SwitchboardOptions setClusterPort(int value) { return set(ClusterSettings.CLUSTER_PORT, value); }
  public List<String> getClusterMembers() { return get(ClusterSettings.CLUSTER_MEMBERS); }
  public SwitchboardOptions setClusterMembers(List<?> values) { return set(ClusterSettings.CLUSTER_MEMBERS, SettingType.strings(values)); }
  public String getClusterConfig() { return get(ClusterSettings.CLUSTER_CONFIG); }
  public SwitchboardOptions setClusterConfig(String value) { return set(ClusterSettings.CLUSTER_CONFIG, value); }
  public String getClusterName() { return get(ClusterSettings.CLUSTER_NAME); }
  public SwitchboardOptions setClusterName(String value) { return set(ClusterSettings.CLUSTER_NAME, value); }
  public int getClusterBusPort() { return get(ClusterSettings.CLUSTER_BUS_PORT); }
  public SwitchboardOptions setClusterBusPort(int value) { return set(ClusterSettings.CLUSTER_BUS_PORT, value); }
  public int getClusterSize() { return get(ClusterSettings.CLUSTER_SIZE); }
  public SwitchboardOptions setClusterSize(int value) { return set(ClusterSettings.CLUSTER_SIZE, value); }
  public String getAuth() { return get(AuthSettings.AUTH); }
  public SwitchboardOptions setAuth(String value) { return set(AuthSettings.AUTH, value); }
  public String getJwtSecret() { return get(AuthSettings.JWT_SECRET); }
  public SwitchboardOptions setJwtSecret(String value) { return set(AuthSettings.JWT_SECRET, value); }
  public String getJwtPublicKey() { return get(AuthSettings.JWT_PUBLIC_KEY); }
  public SwitchboardOptions setJwtPublicKey(String value) { return set(AuthSettings.JWT_PUBLIC_KEY, value); }
  public String getJwtJwksUrl() { return get(AuthSettings.JWT_JWKS_URL); }
  public SwitchboardOptions setJwtJwksUrl(String value) { return set(AuthSettings.JWT_JWKS_URL, value); }
  public String getJwtIssuer() { return get(AuthSettings.JWT_ISSUER); }
  public SwitchboardOptions setJwtIssuer(String value) { return set(AuthSettings.JWT_ISSUER, value); }
  public String getJwtAudience() { return get(AuthSettings.JWT_AUDIENCE); }
  public SwitchboardOptions setJwtAudience(String value) { return set(AuthSettings.JWT_AUDIENCE, value); }
  public String getJwtUserClaim() { return get(AuthSettings.JWT_USER_CLAIM); }
  public SwitchboardOptions setJwtUserClaim(String value) { return set(AuthSettings.JWT_USER_CLAIM, value); }
  public String getSessionUrl() { return get(AuthSettings.SESSION_URL); }
  public SwitchboardOptions setSessionUrl(String value) { return set(AuthSettings.SESSION_URL, value); }
  public String getSessionUserField() { return get(AuthSettings.SESSION_USER_FIELD); }
  public SwitchboardOptions setSessionUserField(String value) { return set(AuthSettings.SESSION_USER_FIELD, value); }
  public long getSessionTimeout() { return get(AuthSettings.SESSION_TIMEOUT); }
  public SwitchboardOptions setSessionTimeout(long value) { return set(AuthSettings.SESSION_TIMEOUT, value); }
  public long getSessionCacheTtl() { return get(AuthSettings.SESSION_CACHE_TTL); }
  public SwitchboardOptions setSessionCacheTtl(long value) { return set(AuthSettings.SESSION_CACHE_TTL, value); }
  public long getSessionRefusalTtl() { return get(AuthSettings.SESSION_REFUSAL_TTL); }
  public SwitchboardOptions setSessionRefusalTtl(long value) { return set(AuthSettings.SESSION_REFUSAL_TTL, value); }
  public String getAuthCookie() { return get(AuthSettings.AUTH_COOKIE); }
  public SwitchboardOptions setAuthCookie(String value) { return set(AuthSettings.AUTH_COOKIE, value); }
  public String getIdPolicy() { return get(AuthSettings.ID_POLICY); }
  public SwitchboardOptions setIdPolicy(String value) { return set(AuthSettings.ID_POLICY, value); }
  /** The effective duplicate policy: as set, else takeover with auth on and reject without. */
  public String getOnDuplicate() { return AuthSettings.onDuplicate(this); }
  public SwitchboardOptions setOnDuplicate(String value) { return set(AuthSettings.ON_DUPLICATE, value); }
  public long getReconnectGrace() { return get(CallSettings.RECONNECT_GRACE); }
  public SwitchboardOptions setReconnectGrace(long value) { return set(CallSettings.RECONNECT_GRACE, value); }
  public long getLeaveOnDisconnect() { return get(CallSettings.LEAVE_ON_DISCONNECT); }
  public SwitchboardOptions setLeaveOnDisconnect(long value) { return set(CallSettings.LEAVE_ON_DISCONNECT, value); }
  public int getMaxCallsPerPeer() { return get(CallSettings.MAX_CALLS_PER_PEER); }
  public SwitchboardOptions setMaxCallsPerPeer(int value) { return set(CallSettings.MAX_CALLS_PER_PEER, value); }
  public int getMaxCalls() { return get(CallSettings.MAX_CALLS); }
  public SwitchboardOptions setMaxCalls(int value) { return set(CallSettings.MAX_CALLS, value); }
  public long getMaxCallDuration() { return get(CallSettings.MAX_CALL_DURATION); }
  public SwitchboardOptions setMaxCallDuration(long value) { return set(CallSettings.MAX_CALL_DURATION, value); }
  public int getMaxCallMetadata() { return get(CallSettings.MAX_CALL_METADATA); }
  public SwitchboardOptions setMaxCallMetadata(int value) { return set(CallSettings.MAX_CALL_METADATA, value); }
}

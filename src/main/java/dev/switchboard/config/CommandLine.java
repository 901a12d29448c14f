package dev.switchboard.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code switchboard} command line: PeerServer's {@code peerjs} flags with the same names, short
 * forms and meaning, plus Switchboard's own limits.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, sortOptions = false,
    version = "Switchboard 0.1.0",
    description = "A WebRTC signalling broker for PeerJS clients, compatible with PeerServer.")
public final class CommandLine {

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "${env:PORT:-9000}",
      description = "Port to listen on (env PORT). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = {"-H", "--host"}, paramLabel = "HOST", defaultValue = SwitchboardOptions.DEFAULT_HOST,
      description = "Address to listen on. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--path", paramLabel = "PATH", defaultValue = "${env:PEERSERVER_PATH:-/}",
      description = "Path the API and WebSocket live under (env PEERSERVER_PATH). Default: ${DEFAULT-VALUE}.")
  String path;

  @Option(names = {"-k", "--key"}, paramLabel = "KEY", defaultValue = SwitchboardOptions.DEFAULT_KEY,
      description = "Key clients must present. Default: ${DEFAULT-VALUE}.")
  String key;

  @Option(names = {"-t", "--expire_timeout"}, paramLabel = "MS", defaultValue = "5000",
      description = "How long messages wait for an absent peer before the sender gets EXPIRE. Default: ${DEFAULT-VALUE}.")
  long expireTimeout;

  @Option(names = "--alive_timeout", paramLabel = "MS", defaultValue = "90000",
      description = "Disconnect a peer that sent nothing for this long. Default: ${DEFAULT-VALUE}.")
  long aliveTimeout;

  @Option(names = {"-c", "--concurrent_limit"}, paramLabel = "N", defaultValue = "5000",
      description = "Most peers connected at once. Default: ${DEFAULT-VALUE}.")
  int concurrentLimit;

  @Option(names = "--allow_discovery", description = "Let GET {path}{key}/peers list connected ids.")
  boolean allowDiscovery;

  @Option(names = "--proxied", description = "The broker runs behind a reverse proxy.")
  boolean proxied;

  @Option(names = "--sslkey", paramLabel = "FILE", description = "PEM private key for TLS (with --sslcert).")
  String sslKey;

  @Option(names = "--sslcert", paramLabel = "FILE", description = "PEM certificate chain for TLS (with --sslkey).")
  String sslCert;

  @Option(names = "--cors", paramLabel = "ORIGIN", split = ",",
      description = "Allowed CORS origin; repeat or separate with commas. Default: any origin.")
  List<String> cors = new ArrayList<>();

  @Option(names = "--max_message_size", paramLabel = "BYTES", defaultValue = "65536",
      description = "Largest client message accepted; larger ones close the sender with 1009. Default: ${DEFAULT-VALUE}.")
  int maxMessageSize;

  @Option(names = "--max_queue_per_peer", paramLabel = "N", defaultValue = "1000",
      description = "Most messages queued for one absent peer. Default: ${DEFAULT-VALUE}.")
  int maxQueuePerPeer;

  @Option(names = "--max_queued_total", paramLabel = "N", defaultValue = "100000",
      description = "Most messages queued for all absent peers together. Default: ${DEFAULT-VALUE}.")
  int maxQueuedTotal;

  @Option(names = "--max_id_length", paramLabel = "N", defaultValue = "64",
      description = "Longest peer id accepted. Default: ${DEFAULT-VALUE}.")
  int maxIdLength;

  @Option(names = "--send_buffer", paramLabel = "BYTES", defaultValue = "1048576",
      description = "Unsent bytes a connection may hold before it is closed as too slow. Default: ${DEFAULT-VALUE}.")
  int sendBuffer;

  @Option(names = "--event_loops", paramLabel = "N", defaultValue = "0",
      description = "Event loops serving connections; 0 means one per core. Default: ${DEFAULT-VALUE}.")
  int eventLoops;

  @Option(names = "--xhr_grace_period", paramLabel = "MS", defaultValue = "5000",
      description = "Remove an XHR peer that has had no stream or poll open for this long. Default: ${DEFAULT-VALUE}.")
  long xhrGracePeriod;

  @Option(names = "--xhr_poll_timeout", paramLabel = "MS", defaultValue = "20000",
      description = "Answer an XHR long-poll with nothing after this long. Default: ${DEFAULT-VALUE}.")
  long xhrPollTimeout;

  @Option(names = "--trusted_proxies", paramLabel = "CIDR", split = ",",
      description = "Proxies whose X-Forwarded-*/Forwarded headers are believed with --proxied; repeat or separate "
          + "with commas. Default: 127.0.0.0/8,::1.")
  List<String> trustedProxies = new ArrayList<>(SwitchboardOptions.DEFAULT_TRUSTED_PROXIES);

  @Option(names = "--ws_origins", paramLabel = "ORIGIN", split = ",",
      description = "Origins allowed to open WebSockets; repeat or separate with commas. Default: the --cors list.")
  List<String> wsOrigins = new ArrayList<>();

  @Option(names = "--ip_limit", paramLabel = "N", defaultValue = "5000",
      description = "Most peers connected at once from one client address. Default: ${DEFAULT-VALUE}.")
  int ipLimit;

  @Option(names = "--metrics_port", paramLabel = "PORT", defaultValue = "-1",
      description = "Serve /metrics on this port instead of the public one (-1: public port). Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--drain_timeout", paramLabel = "MS", defaultValue = "10000",
      description = "On SIGTERM/SIGINT, how long to wait for peers to leave before stopping. Default: ${DEFAULT-VALUE}.")
  long drainTimeout;

  @Option(names = "--cert_reload_interval", paramLabel = "MS", defaultValue = "10000",
      description = "How often to check --sslkey/--sslcert for changes (0: only on SIGHUP). Default: ${DEFAULT-VALUE}.")
  long certReloadInterval;

  @Option(names = "--log_format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Log lines as text or json. Default: ${DEFAULT-VALUE}.")
  String logFormat;

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON or YAML file of options, keys as the flags (expire_timeout: 5000). "
          + "Flags override environment variables (SWITCHBOARD_EXPIRE_TIMEOUT), which override the file.")
  String config;

  @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
  boolean printConfig;
  @Option(names = "--cluster", description = "Join other brokers as one server (Vert.x clustering with Hazelcast).")
  boolean cluster;

  @Option(names = "--cluster_host", paramLabel = "HOST",
      description = "Address for cluster traffic, bound and advertised to the other nodes. Default: chosen by Hazelcast.")
  String clusterHost;

  @Option(names = "--cluster_port", paramLabel = "PORT", defaultValue = "5701",
      description = "Hazelcast member port. Default: ${DEFAULT-VALUE}.")
  int clusterPort;

  @Option(names = "--cluster_members", paramLabel = "HOST:PORT", split = ",",
      description = "Members to join over TCP/IP (multicast is off); repeat or separate with commas.")
  List<String> clusterMembers = new ArrayList<>();

  @Option(names = "--cluster_config", paramLabel = "FILE",
      description = "Hazelcast XML or YAML configuration to use instead of --cluster_port/--cluster_members (e.g. Kubernetes discovery).")
  String clusterConfig;

  @Option(names = "--cluster_name", paramLabel = "NAME", defaultValue = SwitchboardOptions.DEFAULT_CLUSTER_NAME,
      description = "Only nodes with the same cluster name join each other. Default: ${DEFAULT-VALUE}.")
  String clusterName;

  @Option(names = "--cluster_bus_port", paramLabel = "PORT", defaultValue = "0",
      description = "Port of the event bus between nodes; 0 means any free port. Default: ${DEFAULT-VALUE}.")
  int clusterBusPort;

  @Option(names = "--cluster_size", paramLabel = "N", defaultValue = "0",
      description = "Nodes the cluster is meant to have: a side of a split with more than half of them (or exactly half "
          + "with the senior node) admits new peers, the other refuses them. 0 counts --cluster_members. Default: ${DEFAULT-VALUE}.")
  int clusterSize;
  @Option(names = "--auth", paramLabel = "MODE", defaultValue = SwitchboardOptions.DEFAULT_AUTH,
      description = "How peers prove who they are: none (PeerServer's rules), jwt or session. Default: ${DEFAULT-VALUE}.")
  String auth;

  @Option(names = "--jwt_secret", paramLabel = "SECRET",
      description = "Shared secret for HS256/384/512 JWTs, at least 32 bytes (env SWITCHBOARD_JWT_SECRET, which keeps it out of ps).")
  String jwtSecret;

  @Option(names = "--jwt_public_key", paramLabel = "FILE",
      description = "PEM public key (RSA or EC) for RS*/PS*/ES* JWTs.")
  String jwtPublicKey;

  @Option(names = "--jwt_jwks_url", paramLabel = "URL",
      description = "JWK set to verify JWTs with; refreshed every 10 minutes and on an unknown kid (at most every 5 s).")
  String jwtJwksUrl;

  @Option(names = "--jwt_issuer", paramLabel = "ISS", description = "Required iss claim of JWTs.")
  String jwtIssuer;

  @Option(names = "--jwt_audience", paramLabel = "AUD", description = "Required aud claim of JWTs.")
  String jwtAudience;

  @Option(names = "--jwt_user_claim", paramLabel = "CLAIM", defaultValue = SwitchboardOptions.DEFAULT_JWT_USER_CLAIM,
      description = "JWT claim holding the user id. Default: ${DEFAULT-VALUE}.")
  String jwtUserClaim;

  @Option(names = "--session_url", paramLabel = "URL",
      description = "Session service: GET URL with Authorization: Bearer <token>; 200 with the user id accepts.")
  String sessionUrl;

  @Option(names = "--session_user_field", paramLabel = "FIELD", defaultValue = SwitchboardOptions.DEFAULT_SESSION_USER_FIELD,
      description = "Field of the session service's JSON answer holding the user id. Default: ${DEFAULT-VALUE}.")
  String sessionUserField;

  @Option(names = "--session_timeout", paramLabel = "MS", defaultValue = "3000",
      description = "Wait this long for the session service, then refuse as unavailable (close 1013). Default: ${DEFAULT-VALUE}.")
  long sessionTimeout;

  @Option(names = "--session_cache_ttl", paramLabel = "MS", defaultValue = "60000",
      description = "Remember an accepted token this long. Default: ${DEFAULT-VALUE}.")
  long sessionCacheTtl;

  @Option(names = "--session_refusal_ttl", paramLabel = "MS", defaultValue = "5000",
      description = "Remember a refused token this long. Default: ${DEFAULT-VALUE}.")
  long sessionRefusalTtl;

  @Option(names = "--auth_cookie", paramLabel = "NAME",
      description = "Cookie carrying the token; checked before PeerJS's token option.")
  String authCookie;

  @Option(names = "--id_policy", paramLabel = "POLICY", defaultValue = SwitchboardOptions.DEFAULT_ID_POLICY,
      description = "exact: the peer id is the user id; device: the user id or user id plus -suffix/_suffix. Default: ${DEFAULT-VALUE}.")
  String idPolicy;

  @Option(names = "--on_duplicate", paramLabel = "POLICY",
      description = "reject (ID-TAKEN) or takeover (the same user's newer connection wins). Default: takeover with auth, reject without.")
  String onDuplicate;

  // Calls and the reconnect grace (docs/calls.md).
  @Option(names = "--reconnect_grace", paramLabel = "MS", defaultValue = "10000",
      description = "A peer gone this long without reconnecting anywhere ends its calls (remote_disconnected). Default: ${DEFAULT-VALUE}.")
  long reconnectGrace;

  @Option(names = "--leave_on_disconnect", paramLabel = "MS", defaultValue = "0",
      description = "Send LEAVE on behalf of a peer gone this long to each peer it sent OFFER/ANSWER/CANDIDATE to; 0: never. Default: ${DEFAULT-VALUE}.")
  long leaveOnDisconnect;

  @Option(names = "--max_calls_per_peer", paramLabel = "N", defaultValue = "4",
      description = "Most calls (ringing or active) one peer may be a party of. Default: ${DEFAULT-VALUE}.")
  int maxCallsPerPeer;

  @Option(names = "--max_calls", paramLabel = "N", defaultValue = "10000",
      description = "Most calls one node keeps at once. Default: ${DEFAULT-VALUE}.")
  int maxCalls;

  @Option(names = "--max_call_duration", paramLabel = "MS", defaultValue = "14400000",
      description = "A call ends this long after its invite. Default: ${DEFAULT-VALUE}.")
  long maxCallDuration;

  @Option(names = "--max_call_metadata", paramLabel = "BYTES", defaultValue = "4096",
      description = "Largest serialized metadata of a CALL-INVITE. Default: ${DEFAULT-VALUE}.")
  int maxCallMetadata;

  /** The options these flags describe, validated. */
  public SwitchboardOptions toOptions() {
    return new SwitchboardOptions()
        .setPort(port).setHost(host).setPath(path).setKey(key)
        .setExpireTimeout(expireTimeout).setAliveTimeout(aliveTimeout).setConcurrentLimit(concurrentLimit)
        .setAllowDiscovery(allowDiscovery).setProxied(proxied).setSslKey(sslKey).setSslCert(sslCert)
        .setCors(cors).setMaxMessageSize(maxMessageSize).setMaxQueuePerPeer(maxQueuePerPeer)
        .setMaxQueuedTotal(maxQueuedTotal).setMaxIdLength(maxIdLength).setSendBuffer(sendBuffer)
        .setEventLoops(eventLoops).setXhrGracePeriod(xhrGracePeriod).setXhrPollTimeout(xhrPollTimeout)
        .setTrustedProxies(trustedProxies).setWsOrigins(wsOrigins).setIpLimit(ipLimit).setMetricsPort(metricsPort)
        .setDrainTimeout(drainTimeout).setCertReloadInterval(certReloadInterval).setLogFormat(logFormat)
        .setCluster(cluster).setClusterHost(clusterHost).setClusterPort(clusterPort).setClusterMembers(clusterMembers)
        .setClusterConfig(clusterConfig).setClusterName(clusterName).setClusterBusPort(clusterBusPort).setClusterSize(clusterSize)
        .setAuth(auth).setJwtSecret(jwtSecret).setJwtPublicKey(jwtPublicKey).setJwtJwksUrl(jwtJwksUrl)
        .setJwtIssuer(jwtIssuer).setJwtAudience(jwtAudience).setJwtUserClaim(jwtUserClaim).setSessionUrl(sessionUrl)
        .setSessionUserField(sessionUserField).setSessionTimeout(sessionTimeout).setSessionCacheTtl(sessionCacheTtl)
        .setSessionRefusalTtl(sessionRefusalTtl).setAuthCookie(authCookie).setIdPolicy(idPolicy)
        .setOnDuplicate(onDuplicate)
        .setReconnectGrace(reconnectGrace).setLeaveOnDisconnect(leaveOnDisconnect).setMaxCallsPerPeer(maxCallsPerPeer)
        .setMaxCalls(maxCalls).setMaxCallDuration(maxCallDuration).setMaxCallMetadata(maxCallMetadata)
        .validate();
  }
}

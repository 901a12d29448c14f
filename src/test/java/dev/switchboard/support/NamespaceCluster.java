package dev.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Three broker jars clustered over {@link NetNamespaces}, for the tests that cut the network: node
 * {@code i} listens on {@link NetNamespaces#clientAddress} port {@link #PORT} and clusters on
 * {@link NetNamespaces#clusterAddress}. Node 0 starts first, so it is the oldest member. {@link #close}
 * stops the nodes and deletes the namespaces, also after a failed start.
 */
public final class NamespaceCluster implements AutoCloseable {
  public static final int PORT = 9000;
  private static final int NODES = 3;

  private final NetNamespaces net;
  private final Vertx client = Vertx.vertx();
  private final List<BrokerProcess> nodes = new ArrayList<>();

  private NamespaceCluster(NetNamespaces net) {
    this.net = net;
  }

  /** Starts the three nodes as cluster {@code name}, each with {@code flags} besides the cluster's own. */
  public static NamespaceCluster start(String name, String... flags) {
    NamespaceCluster cluster = new NamespaceCluster(NetNamespaces.create(NODES));
    try {
      cluster.nodes.add(cluster.startNode(0, name, flags));
      cluster.nodes.get(0).port();
      for (int i = 1; i < NODES; i++) {
        cluster.nodes.add(cluster.startNode(i, name, flags));
      }
      cluster.nodes.forEach(BrokerProcess::port);
      return cluster;
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private BrokerProcess startNode(int i, String name, String[] flags) {
    String members = String.join(",", Stream.iterate(0, n -> n + 1).limit(NODES)
        .map(n -> NetNamespaces.clusterAddress(n) + ":5701").toList());
    List<String> args = new ArrayList<>(List.of("--host", NetNamespaces.clientAddress(i), "--port", String.valueOf(PORT),
        "--allow_discovery", "--event_loops", "1", "--alive_timeout", "600000"));
    args.addAll(List.of(flags));
    args.addAll(List.of("--cluster", "--cluster_name", name, "--cluster_host", NetNamespaces.clusterAddress(i),
        "--cluster_port", "5701", "--cluster_members", members));
    return BrokerProcess.startWith("node" + i, net.exec(i), args.toArray(String[]::new));
  }

  public BrokerProcess node(int i) {
    return nodes.get(i);
  }

  /** Cuts node {@code i} off the others. */
  public void cut(int i) {
    net.cut(i);
  }

  /** Brings node {@code i} back. */
  public void heal(int i) {
    net.heal(i);
  }

  /** A WebSocket to node {@code node} as {@code id} with {@code token}, not waiting for anything. */
  public TestPeer connect(int node, String id, String token) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(NetNamespaces.clientAddress(node))
        .setPort(PORT).setURI("/peerjs?" + TestPeer.query(id, token));
    return TestPeer.connect(client, new WebSocketClientOptions(), options);
  }

  /** Opens {@code id} on {@code node}, trying again while the cluster is still forming (CLUSTER_SPLIT). */
  public TestPeer open(int node, String id, String token) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      TestPeer peer = connect(node, id, token);
      JsonObject first = peer.next();
      if ("OPEN".equals(first.getString("type"))) {
        return peer;
      }
      peer.close();
      if (!first.encode().contains("Cluster split") || System.nanoTime() > deadline) {
        throw new AssertionError(id + " not opened on node " + node + ": " + first + "\n" + nodes.get(node).output());
      }
    }
  }

  @Override
  public void close() {
    try {
      nodes.forEach(BrokerProcess::close);
      client.close();
    } finally {
      net.close();
    }
  }
}

package dev.switchboard.support;

import dev.switchboard.Switchboard;
import dev.switchboard.cluster.ClusteredVertx;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Brokers clustered in this JVM, each in its own clustered Vert.x with its own Hazelcast member on
 * 127.0.0.1, joined over TCP/IP (no multicast), under a cluster name of their own. Start them once per
 * test class: joining takes a few seconds.
 */
public final class ClusterNodes implements AutoCloseable {
  /** A broker node: its Vert.x and the broker in it. */
  public record Node(Vertx vertx, Switchboard broker, int clusterPort) {
    public int port() {
      return broker.actualPort();
    }
  }

  private final String name = "test-" + UUID.randomUUID();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final UnaryOperator<SwitchboardOptions> tune;

  /** A cluster whose brokers start with {@link Brokers#options()} changed by {@code tune}. */
  public ClusterNodes(UnaryOperator<SwitchboardOptions> tune) {
    this.tune = tune;
  }

  /** Starts {@code count} nodes that list each other as members. */
  public ClusterNodes start(int count) {
    for (int i = 0; i < count; i++) {
      clusterPorts.add(freePort());
    }
    for (int i = 0; i < count; i++) {
      add(clusterPorts.get(i), tune);
    }
    return this;
  }

  /** Starts one more node, which joins through the members started so far. */
  public Node add(UnaryOperator<SwitchboardOptions> nodeTune) {
    int port = freePort();
    clusterPorts.add(port);
    return add(port, nodeTune);
  }

  private Node add(int clusterPort, UnaryOperator<SwitchboardOptions> nodeTune) {
    SwitchboardOptions options = nodeTune.apply(Brokers.options())
        .setCluster(true).setClusterName(name).setClusterHost("127.0.0.1").setClusterPort(clusterPort)
        .setClusterMembers(clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    Vertx vertx = Await.result(ClusteredVertx.start(options, new VertxOptions().setEventLoopPoolSize(2), Vertx.builder()), 60);
    Node node = new Node(vertx, Await.result(Switchboard.start(vertx, options)), clusterPort);
    nodes.add(node);
    return node;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** Stops a node gracefully: its broker tells its peers and leaves, then its Vert.x leaves the cluster. */
  public void stop(Node node) {
    Await.result(node.broker().close(), 30);
    Await.result(node.vertx().close(), 30);
    nodes.remove(node);
  }

  /** Forgets a node a test killed itself (its Vert.x closed without the broker's goodbye). */
  public void forget(Node node) {
    nodes.remove(node);
  }

  /** Stops a node unless a test already did. */
  public void stopIfRunning(Node node) {
    if (nodes.contains(node)) {
      stop(node);
    }
  }

  @Override
  public void close() {
    for (Node node : List.copyOf(nodes)) {
      try {
        stop(node);
      } catch (RuntimeException | AssertionError e) {
        node.vertx().close();
      }
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

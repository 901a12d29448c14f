package dev.switchboard.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A small network of Linux network namespaces for partition tests: node {@code i} lives in its own
 * namespace with the cluster address {@code 10.77.0.(i+1)/24} on a veth into a bridge (in a namespace
 * of its own), and the client address {@code 10.77.(10+i).2/30} on a veth whose other end,
 * {@code 10.77.(10+i).1}, is in the root namespace, so the test JVM reaches each node's HTTP port.
 * Nodes reach each other only through the bridge; {@link #cut} takes a node's bridge port down.
 * Needs root and iproute2; {@link #close} deletes everything, and is safe to call after a failed setup.
 */
public final class NetNamespaces implements AutoCloseable {
  private final String tag = UUID.randomUUID().toString().substring(0, 4);
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();

  private NetNamespaces() {
  }

  /** Creates {@code count} node namespaces on one bridge; fails loudly when it cannot. */
  public static NetNamespaces create(int count) {
    String uid = run("id", "-u").trim();
    if (!"0".equals(uid)) {
      throw new AssertionError("the partition test needs root for network namespaces (uid " + uid + ")");
    }
    String leftover = run("ip", "-o", "addr", "show", "to", "10.77.0.0/16");
    if (!leftover.isBlank()) {
      throw new AssertionError("10.77.0.0/16 is already in use in the root namespace (a leftover test network?):\n" + leftover);
    }
    NetNamespaces net = new NetNamespaces();
    try {
      net.build(count);
    } catch (RuntimeException | AssertionError e) {
      net.close();
      throw e;
    }
    return net;
  }

  private void build(int count) {
    String sw = "sb" + tag + "sw";
    addNamespace(sw);
    run("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
    run("ip", "-n", sw, "link", "set", "br0", "up");
    for (int i = 0; i < count; i++) {
      String ns = namespace(i);
      addNamespace(ns);
      String port = "sb" + tag + "p" + i;
      run("ip", "link", "add", "sb" + tag + "n" + i, "type", "veth", "peer", "name", port);
      run("ip", "link", "set", port, "netns", sw);
      run("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
      run("ip", "link", "set", "sb" + tag + "n" + i, "netns", ns);
      run("ip", "-n", ns, "addr", "add", clusterAddress(i) + "/24", "dev", "sb" + tag + "n" + i);
      run("ip", "-n", ns, "link", "set", "sb" + tag + "n" + i, "up");
      String root = "sb" + tag + "r" + i;
      rootLinks.add(root);
      run("ip", "link", "add", root, "type", "veth", "peer", "name", "sb" + tag + "c" + i);
      run("ip", "link", "set", "sb" + tag + "c" + i, "netns", ns);
      run("ip", "addr", "add", "10.77." + (10 + i) + ".1/30", "dev", root);
      run("ip", "link", "set", root, "up");
      run("ip", "-n", ns, "addr", "add", clientAddress(i) + "/30", "dev", "sb" + tag + "c" + i);
      run("ip", "-n", ns, "link", "set", "sb" + tag + "c" + i, "up");
    }
  }

  private void addNamespace(String name) {
    run("ip", "netns", "add", name);
    namespaces.add(name);
    run("ip", "-n", name, "link", "set", "lo", "up");
  }

  public String namespace(int node) {
    return "sb" + tag + "n" + node;
  }

  /** The address node {@code node} uses for cluster traffic (Hazelcast and the event bus). */
  public static String clusterAddress(int node) {
    return "10.77.0." + (node + 1);
  }

  /** The address node {@code node} serves clients on, reachable from the test JVM. */
  public static String clientAddress(int node) {
    return "10.77." + (10 + node) + ".2";
  }

  /** The command prefix that runs a program inside node {@code node}'s namespace. */
  public List<String> exec(int node) {
    return List.of("ip", "netns", "exec", namespace(node));
  }

  /** Cuts node {@code node} off from the others (its bridge port goes down). */
  public void cut(int node) {
    run("ip", "-n", "sb" + tag + "sw", "link", "set", "sb" + tag + "p" + node, "down");
  }

  /** Restores node {@code node}'s link to the others. */
  public void heal(int node) {
    run("ip", "-n", "sb" + tag + "sw", "link", "set", "sb" + tag + "p" + node, "up");
  }

  // Deleting a namespace deletes the veths in it, and with them their other ends.
  @Override
  public void close() {
    for (String name : namespaces) {
      runQuietly("ip", "netns", "delete", name);
    }
    for (String link : rootLinks) {
      runQuietly("ip", "link", "delete", link);
    }
  }

  private static void runQuietly(String... command) {
    try {
      run(command);
    } catch (AssertionError e) {
      // already gone
    }
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", command) + " (iproute2 is needed)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

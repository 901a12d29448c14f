package dev.switchboard.support;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn ({@code turnserver} from Debian's {@code coturn}, installed by
 * scripts/install-test-tools.sh) on loopback for one test: TURN REST auth with the given secrets, no TLS,
 * no CLI, no config file, relaying between loopback peers. coturn cannot listen on port 0, so a port free
 * for both UDP and TCP is picked first.
 */
public final class Coturn implements AutoCloseable {
  public static final String BINARY = "/usr/bin/turnserver";
  public static final String REALM = "switchboard.test";

  private final Process process;
  private final Path log;
  private final int port;
  private final List<String> command;

  private Coturn(Process process, Path log, int port, List<String> command) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.command = command;
  }

  /** Starts coturn accepting credentials signed with any of {@code secrets}; returns once it listens. */
  public static Coturn start(List<String> secrets) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new AssertionError(BINARY + " is missing: run scripts/install-test-tools.sh (Debian package coturn)");
    }
    int port = freeUdpAndTcpPort();
    Path log = Files.createTempFile("coturn-", ".log");
    List<String> command = new ArrayList<>(List.of(BINARY, "-n", // -n: no configuration file
        "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
        "--use-auth-secret", "--realm=" + REALM,
        "--no-cli", "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-software-attribute",
        "--log-file=stdout", "--simple-log"));
    secrets.forEach(secret -> command.add("--static-auth-secret=" + secret));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Coturn coturn = new Coturn(process, log, port, command);
    coturn.awaitListening();
    return coturn;
  }

  /** The listening port (UDP and TCP). */
  public int port() {
    return port;
  }

  /** The command line, secrets masked: what the test reports as its coturn settings. */
  public String settings() {
    return String.join(" ", command.stream().map(arg -> arg.startsWith("--static-auth-secret=")
        ? "--static-auth-secret=****" : arg).toList());
  }

  /** What coturn logged so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private void awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("turnserver exited with " + process.exitValue() + ":\n" + log());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        if (log().contains("Relay ports initialization done")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.onSpinWait();
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("turnserver did not listen on 127.0.0.1:" + port + " within 15 s:\n" + log());
  }

  private static int freeUdpAndTcpPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate))) {
          return candidate;
        } catch (IOException takenForUdp) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }
}

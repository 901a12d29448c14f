package dev.switchboard.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy (nginx, haproxy) run by a test as a child process on loopback, from a configuration
 * made out of a shipped file under {@code docs/deploy/}. Its output goes to a log file that a failing
 * test shows.
 */
public final class ProxyProcess implements AutoCloseable {
  /** The project's directory (failsafe sets switchboard.basedir). */
  public static final Path BASEDIR = Path.of(System.getProperty("switchboard.basedir", System.getProperty("user.dir")));

  private final Process process;
  private final Path log;

  private ProxyProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** A port free right now on loopback (bound, then released for the proxy to take). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A shipped file with its CHANGE lines replaced; fails if a replaced text is not in it (the file changed). */
  public static String shipped(String relative, String... replacements) throws IOException {
    String text = Files.readString(BASEDIR.resolve(relative));
    for (int i = 0; i < replacements.length; i += 2) {
      if (!text.contains(replacements[i])) {
        throw new AssertionError(relative + " no longer contains '" + replacements[i] + "'; update the test with it");
      }
      text = text.replace(replacements[i], replacements[i + 1]);
    }
    return text;
  }

  /** Starts {@code command} and waits until it accepts connections on {@code port}. */
  public static ProxyProcess start(List<String> command, Path workDir, int port) throws IOException {
    if (!Files.isExecutable(Path.of(command.get(0)))) {
      throw new AssertionError(command.get(0) + " is missing (scripts/install-test-tools.sh installs it)");
    }
    Path log = workDir.resolve("process.log");
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ProxyProcess proxy = new ProxyProcess(process, log);
    try {
      Await.until(command.get(0) + " listening on " + port, () -> {
        if (!process.isAlive()) {
          throw new AssertionError(command.get(0) + " exited with " + process.exitValue() + ":\n" + proxy.log());
        }
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return true;
        } catch (IOException e) {
          return false;
        }
      }, 20);
    } catch (AssertionError e) {
      proxy.close();
      throw new AssertionError(e.getMessage() + "\n" + proxy.log(), e);
    }
    return proxy;
  }

  /** What the process printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

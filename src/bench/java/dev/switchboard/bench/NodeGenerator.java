package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Node {@code ws} load generator ({@code src/bench/js/ws-load.mjs}) as a child process: started with
 * a scenario's arguments, its protocol lines ({@code @ready}, {@code @start}, {@code @stop}, {@code @end},
 * {@code @done}, {@code @error}) read from its stdout as they come, so that the caller samples the
 * server's CPU at the moment a measured window starts and ends.
 */
final class NodeGenerator implements AutoCloseable {
  /** The end of the output stream, queued after the last line. */
  private static final String EOF = "\u0000eof";

  /** A protocol line: its tag ("@start") and JSON body (empty when it has none). */
  record Event(String tag, JsonObject body) {
  }

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** The last lines that were not protocol lines (Node warnings, stack traces), for error messages. */
  private final Deque<String> otherOutput = new ArrayDeque<>();

  private NodeGenerator(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readLines, "node-generator-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Fails with the reason when the generator cannot run here: {@code node} missing from PATH or too
   * old, the script missing, or no {@code ws} package under {@code --ws-from}. The suite calls this
   * before its first node scenario, so that a missing tool fails the run instead of leaving figures out.
   */
  static void check(BenchConfig config) throws InterruptedException {
    if (!Files.isRegularFile(config.nodeScript)) {
      throw new IllegalStateException("node load generator " + config.nodeScript + " not found (run from the project directory)");
    }
    Path ws = config.wsFrom.resolve("node_modules").resolve("ws").resolve("package.json");
    if (!Files.isRegularFile(ws)) {
      throw new IllegalStateException("the node scenarios need the ws package: " + ws + " is missing (scripts/bench.sh"
          + " installs it with PeerServer into target/bench/peerserver; or pass --ws-from DIR with DIR/node_modules/ws)");
    }
    String version;
    try {
      Process node = new ProcessBuilder("node", "-p", "process.versions.node").redirectErrorStream(true).start();
      version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      node.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("the node scenarios need Node.js 18 or newer on PATH: " + e.getMessage());
    }
    int major = version.matches("\\d+\\..*") ? Integer.parseInt(version.substring(0, version.indexOf('.'))) : 0;
    if (major < 18) {
      throw new IllegalStateException("the node scenarios need Node.js 18 or newer on PATH, found: " + version);
    }
  }

  /** Starts the generator against {@code server} with the common options and {@code args}. */
  static NodeGenerator start(BenchConfig config, ServerProcess server, String prefix, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("node", config.nodeScript.toString(),
        "--ws-from", config.wsFrom.toString(), "--port", String.valueOf(server.port()), "--prefix", prefix,
        "--workers", String.valueOf(config.nodeWorkers), "--addresses", String.valueOf(config.addresses)));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new NodeGenerator(process);
  }

  private void readLines() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("@error reading the generator's output: " + e);
    }
    lines.add(EOF);
  }

  /**
   * The next protocol line, which must be tagged {@code tag}; fails on {@code @error}, on the generator's
   * exit, on another tag, or after {@code timeoutSeconds}.
   */
  Event await(String tag, double timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw failure("no " + tag + " from the node generator within " + Report.format(timeoutSeconds) + " s");
      }
      if (line.equals(EOF)) {
        process.waitFor(5, TimeUnit.SECONDS);
        throw failure("the node generator ended (exit " + (process.isAlive() ? "?" : process.exitValue())
            + ") while waiting for " + tag);
      }
      if (!line.startsWith("@")) {
        if (otherOutput.size() == 20) {
          otherOutput.removeFirst();
        }
        otherOutput.addLast(line);
        continue;
      }
      int space = line.indexOf(' ');
      String got = space < 0 ? line : line.substring(0, space);
      if (got.equals("@error")) {
        throw failure("node generator: " + line.substring(Math.min(line.length(), "@error ".length())));
      }
      if (!got.equals(tag)) {
        throw failure("expected " + tag + " from the node generator, got: " + line);
      }
      return new Event(got, space < 0 ? new JsonObject() : new JsonObject(line.substring(space + 1)));
    }
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(otherOutput.isEmpty() ? message
        : message + "; its other output: " + String.join(" | ", otherOutput));
  }

  /** Tells an idle run to close its peers and end. */
  void stop() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  /** User + system CPU of the generator process (all its threads) so far, in microseconds. */
  long cpuMicros() {
    return ServerProcess.cpuMicros(process.pid());
  }

  /** Waits briefly for the generator to end (it ends by itself after @done; an idle run at stdin's end). */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException gone) {
      // already ended
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

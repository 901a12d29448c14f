package dev.switchboard.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar run as an operator runs it ({@code java -jar target/switchboard.jar [flags]}), its
 * output collected, its port read from the "listening on" line.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

  private final String name;
  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private BrokerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::read, "output of " + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the jar with {@code flags}; small heap and quick JIT, as several share two cores. */
  public static BrokerProcess start(String name, String... flags) {
    return startWith(name, List.of(), flags);
  }

  /**
   * Starts the jar behind {@code prefix}, a command that runs another (e.g. {@code ip netns exec NS},
   * which execs it in place, so killing this process kills the broker).
   */
  public static BrokerProcess startWith(String name, List<String> prefix, String... flags) {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    assertTrue(Files.exists(Path.of(jar)), "missing " + jar + " (run mvn package first)");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", Path.of(jar).toAbsolutePath().toString()));
    command.addAll(List.of(flags));
    try {
      return new BrokerProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new AssertionError("could not start " + command, e);
    }
  }

  /**
   * Starts {@code builder}'s command (a launcher, a wrapper that execs the broker) with its output
   * merged and collected, as {@link #start} does for the jar.
   */
  public static BrokerProcess start(String name, ProcessBuilder builder) {
    try {
      return new BrokerProcess(name, builder.redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new AssertionError("could not start " + builder.command(), e);
    }
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      port.completeExceptionally(new AssertionError(name + " ended before listening:\n" + output));
    }
  }

  /** The HTTP port, once the broker listens (and so has joined its cluster). */
  public int port() {
    try {
      return port.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(name + " is not listening:\n" + output, e);
    }
  }

  public String output() {
    return output.toString();
  }

  /** Kills the process the hard way (SIGKILL): no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** Asks the process to stop (SIGTERM), as an operator or orchestrator would. */
  public void terminate() {
    process.destroy();
    awaitExit();
  }

  private void awaitExit() {
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " did not exit:\n" + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The operating system's id of the process (for jcmd, /proc). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

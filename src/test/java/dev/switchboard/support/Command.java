package dev.switchboard.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool (npm, node, tsc, promtool, systemd-analyze) run to completion by a test, its
 * standard output and error merged into one text that a failing test shows.
 */
public final class Command {
  private Command() {
  }

  /** What a finished command printed. */
  public record Result(List<String> command, int exitCode, String output) {
    /** A failure message naming the command, its exit code and everything it printed. */
    public String describe(String problem) {
      return String.join(" ", command) + " " + problem + " (exit " + exitCode + "):\n" + output;
    }
  }

  /** Runs the command in {@code dir}; fails unless it exits 0 within {@code timeout}. */
  public static Result run(Path dir, Duration timeout, String... command) {
    Result result = execute(dir, timeout, command);
    if (result.exitCode() != 0) {
      throw new AssertionError(result.describe("failed"));
    }
    return result;
  }

  /** Runs the command in {@code dir} whatever its exit code; fails only if it does not finish in time. */
  public static Result execute(Path dir, Duration timeout, String... command) {
    List<String> words = List.of(command);
    Path output = null;
    try {
      output = Files.createTempFile("command-", ".out");
      Process process = new ProcessBuilder(words).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      process.getOutputStream().close();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Result result = new Result(words, exited ? process.exitValue() : -1, Files.readString(output));
      if (!exited) {
        throw new AssertionError(result.describe("did not finish within " + timeout.toSeconds() + " s and was killed"));
      }
      return result;
    } catch (IOException e) {
      throw new AssertionError("could not run " + String.join(" ", words)
          + " (scripts/install-test-tools.sh installs the tools the integration tests need)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", words), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }
}

package dev.switchboard.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node script from {@code src/test/js} with a JSON spec on its standard input, the way the
 * browser tests drive headless Chromium. The project directory comes from the system property
 * {@code switchboard.basedir} (set by failsafe), else the working directory.
 */
public final class NodeScript {

  public static final Path JS_DIR = Path.of(
      System.getProperty("switchboard.basedir", System.getProperty("user.dir")), "src", "test", "js");

  private NodeScript() {
  }

  /** Runs the script and returns its output; fails unless it exits 0 within {@code timeout}. */
  public static NodeRun run(String script, JsonObject spec, Duration timeout) {
    NodeRun run = execute(script, spec, timeout);
    if (run.exitCode() != 0) {
      throw new AssertionError(run.describe("exited with " + run.exitCode()));
    }
    return run;
  }

  /** Runs the script and returns its output whatever its exit code; fails only on the timeout. */
  public static NodeRun execute(String script, JsonObject spec, Duration timeout) {
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("node-", ".stdout");
      stderr = Files.createTempFile("node-", ".stderr");
      Process process = new ProcessBuilder("node", JS_DIR.resolve(script).toString())
          .directory(JS_DIR.toFile())
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(spec.encode().getBytes(StandardCharsets.UTF_8));
      }
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        // The browser is a grandchild: kill it too, or it outlives the test run.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      NodeRun run = new NodeRun(script, exited ? process.exitValue() : -1, Files.readString(stdout),
          Files.readString(stderr));
      if (!exited) {
        throw new AssertionError(run.describe("did not finish within " + timeout.toSeconds() + " s and was killed"));
      }
      return run;
    } catch (IOException e) {
      throw new AssertionError("could not run node " + script + " in " + JS_DIR
          + " (scripts/install-test-tools.sh installs what it needs)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running node " + script, e);
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}

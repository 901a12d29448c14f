package dev.switchboard.support;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node script printed. Scripts report on stdout with one JSON object per line; stderr
 * carries the human-readable log (page consoles, WebSocket frames).
 */
public record NodeRun(String script, int exitCode, String stdout, String stderr) {

  /** The JSON objects printed on stdout, in order; other lines are ignored. */
  public List<JsonObject> jsonLines() {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.startsWith("{")) {
        try {
          lines.add(new JsonObject(line));
        } catch (DecodeException e) {
          throw new AssertionError(describe("printed a line that is not JSON: " + line), e);
        }
      }
    }
    return lines;
  }

  /** The first successful report of the step {@code name}; fails with the whole output if there is none. */
  public JsonObject step(String name) {
    return jsonLines().stream()
        .filter(line -> name.equals(line.getString("step")) && Boolean.TRUE.equals(line.getBoolean("ok")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(describe("reported no successful step " + name)));
  }

  /** A failure message: what went wrong followed by everything the script printed. */
  public String describe(String problem) {
    return "node " + script + " " + problem
        + "\n--- stdout ---\n" + stdout
        + "--- stderr ---\n" + stderr;
  }
}

package dev.switchboard.turn;

import dev.switchboard.config.CommandLineParser;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.switchboard.turn.TurnSettings.STUN_URIS;
import static dev.switchboard.turn.TurnSettings.TURN_ALLOW_ANONYMOUS;
import static dev.switchboard.turn.TurnSettings.TURN_SECRET;
import static dev.switchboard.turn.TurnSettings.TURN_TTL;
import static dev.switchboard.turn.TurnSettings.TURN_URIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TURN options: every way to give secrets, and misconfigurations that must stop the broker starting. */
class TurnOptionsTest {
  private static final String NEW = "new-secret-0123456789";
  private static final String OLD = "old-secret-0123456789";
  private static final String URI = "turn:turn.example.org:3478?transport=udp";

  private final StringWriter err = new StringWriter();

  private SwitchboardOptions parse(Map<String, String> env, String... args) {
    return CommandLineParser.parse(args, env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
  }

  @Test
  void secretsComeRepeatedCommaSeparatedFromTheEnvironmentOrAFileInOrder(@TempDir Path dir) throws Exception {
    List<String> both = List.of(NEW, OLD);
    String[] auth = {"--auth", "jwt", "--jwt_secret", "j".repeat(32), "--turn_uris", URI};
    assertEquals(both, TurnSettings.secrets(parse(Map.of(), concat(auth, "--turn_secret", NEW, "--turn_secret", OLD))));
    assertEquals(both, TurnSettings.secrets(parse(Map.of(), concat(auth, "--turn_secret", NEW + "," + OLD))));
    assertEquals(both, TurnSettings.secrets(parse(Map.of("SWITCHBOARD_TURN_SECRET", NEW + "," + OLD), auth)));
    Path file = Files.writeString(dir.resolve("turn-secrets"), "# signing first\n" + NEW + "\n\n  " + OLD + "  \n");
    assertEquals(both, TurnSettings.secrets(parse(Map.of(), concat(auth, "--turn_secret_file", file.toString()))));
  }

  @Test
  void defaultsAndTheValuesGiven() {
    SwitchboardOptions defaults = new SwitchboardOptions().validate();
    assertEquals(3600L, defaults.get(TURN_TTL));
    assertFalse(defaults.get(TURN_ALLOW_ANONYMOUS));
    assertFalse(TurnSettings.turnEnabled(defaults));
    SwitchboardOptions o = parse(Map.of(), "--turn_uris", URI + ",turns:[2001:db8::1]:5349?transport=tcp",
        "--stun_uris", "stun:127.0.0.1:3478", "--turn_secret", NEW, "--turn_ttl", "600", "--turn_allow_anonymous");
    assertEquals(List.of(URI, "turns:[2001:db8::1]:5349?transport=tcp"), o.get(TURN_URIS));
    assertEquals(List.of("stun:127.0.0.1:3478"), o.get(STUN_URIS));
    assertEquals(600L, o.get(TURN_TTL));
    assertTrue(o.get(TURN_ALLOW_ANONYMOUS));
  }

  @Test
  void theSecretIsMaskedWhereOptionsAreShown() {
    SwitchboardOptions o = new SwitchboardOptions().set(TURN_URIS, List.of(URI)).set(TURN_SECRET, List.of(NEW))
        .set(TURN_ALLOW_ANONYMOUS, true).validate();
    assertFalse(o.toString().contains(NEW), o.toString());
  }

  @Test
  void misconfigurationsFailNamingTheOption(@TempDir Path dir) throws Exception {
    JsonObject turn = new JsonObject().put("turn_uris", new JsonArray().add(URI)).put("turn_allow_anonymous", true);
    refused(turn.copy().put("turn_secret", new JsonArray()), "Invalid turn_uris", "needs turn_secret or turn_secret_file");
    refused(new JsonObject().put("turn_secret", new JsonArray().add(NEW)), "Invalid turn_secret", "turn_uris is not");
    refused(turn.copy().put("turn_secret", new JsonArray().add("short")), "Invalid turn_secret", "at least 16 characters");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_uris", new JsonArray().add("http://turn.example.org")),
        "Invalid turn_uris", "bad URI http://turn.example.org");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_uris", new JsonArray().add("turn:h:3478?transport=sctp")),
        "Invalid turn_uris", "bad URI");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_uris", new JsonArray().add("turn:h:70000")),
        "Invalid turn_uris", "port must be between 1 and 65535");
    refused(new JsonObject().put("stun_uris", new JsonArray().add("turn:h:3478")), "Invalid stun_uris", "bad URI");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_ttl", 0), "Invalid turn_ttl", "between 1 and");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_ttl", -5), "Invalid turn_ttl", "between 1 and");
    refused(new JsonObject().put("turn_allow_anonymous", true), "Invalid turn_allow_anonymous", "turn_uris is not");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("auth", "jwt").put("jwt_secret", "j".repeat(32)),
        "Invalid turn_allow_anonymous", "credentials go to verified users");
    Path file = Files.writeString(dir.resolve("secrets"), NEW + "\n");
    refused(turn.copy().put("turn_secret", new JsonArray().add(NEW)).put("turn_secret_file", file.toString()),
        "Invalid turn_secret_file", "not both");
    refused(turn.copy().put("turn_secret_file", dir.resolve("missing").toString()), "Invalid turn_secret_file", "does not exist");
    Path empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n");
    refused(turn.copy().put("turn_secret_file", empty.toString()), "Invalid turn_secret_file", "holds no secret");
    Path weak = Files.writeString(dir.resolve("weak"), NEW + "\nshort\n");
    refused(turn.copy().put("turn_secret_file", weak.toString()), "Invalid turn_secret_file", "at least 16 characters");
  }

  @Test
  void aBadFlagStopsTheCommandLineWithTheReason() {
    assertThrows(CommandLineParser.Exit.class, () -> parse(Map.of(), "--turn_uris", URI));
    assertTrue(err.toString().contains("turn_uris") && err.toString().contains("needs turn_secret"), err.toString());
  }

  private static void refused(JsonObject json, String start, String problem) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions(json).validate(),
        json::encode);
    assertTrue(e.getMessage().startsWith(start) && e.getMessage().contains(problem), e.getMessage());
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}

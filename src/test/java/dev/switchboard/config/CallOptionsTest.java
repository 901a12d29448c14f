package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The call options: flags, defaults, JSON round trip and their checks. */
class CallOptionsTest {
  private static SwitchboardOptions parse(String... args) {
    return CommandLineParser.parse(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
  }

  @Test
  void defaults() {
    SwitchboardOptions o = parse();
    assertEquals(10_000, o.getReconnectGrace());
    assertEquals(0, o.getLeaveOnDisconnect());
    assertEquals(4, o.getMaxCallsPerPeer());
    assertEquals(10_000, o.getMaxCalls());
    assertEquals(4 * 3_600_000L, o.getMaxCallDuration());
    assertEquals(4096, o.getMaxCallMetadata());
  }

  @Test
  void flagsAndJson() {
    SwitchboardOptions o = parse("--reconnect_grace", "2500", "--leave_on_disconnect", "15000", "--max_calls_per_peer", "2",
        "--max_calls", "50", "--max_call_duration", "600000", "--max_call_metadata", "1024");
    assertEquals(2500, o.getReconnectGrace());
    assertEquals(15_000, o.getLeaveOnDisconnect());
    assertEquals(2, o.getMaxCallsPerPeer());
    assertEquals(50, o.getMaxCalls());
    assertEquals(600_000, o.getMaxCallDuration());
    assertEquals(1024, o.getMaxCallMetadata());
    assertEquals(o.toJson(), new SwitchboardOptions(o.toJson()).toJson());
  }

  @Test
  void aSmallMessageSizeNeedsNoSmallerMetadataBound() {
    assertEquals(512, new SwitchboardOptions().setMaxMessageSize(512).validate().getMaxMessageSize());
  }

  @Test
  void badValuesAreRefusedByName() {
    for (String[] bad : new String[][] {{"reconnect_grace", "-1"}, {"leave_on_disconnect", "-5"}, {"max_calls_per_peer", "0"},
        {"max_calls", "0"}, {"max_call_duration", "1000"}, {"max_call_metadata", "-1"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new SwitchboardOptions(new io.vertx.core.json.JsonObject().put(bad[0], Long.parseLong(bad[1]))).validate());
      assertTrue(e.getMessage().startsWith("Invalid " + bad[0]), e.getMessage());
    }
  }
}

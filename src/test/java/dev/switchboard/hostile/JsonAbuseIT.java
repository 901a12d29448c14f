package dev.switchboard.hostile;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile JSON in WebSocket text frames: malformed, not an object, deeply nested, oversize numbers and
 * keys, frames over {@code max_message_size}. Each gets the sender an ERROR naming what is wrong (or,
 * oversize, close 1009); nothing reaches the control pair.
 */
class JsonAbuseIT extends HostileSuite {
  private static final String DST = "\"dst\":\"someoneElse\"";

  @BeforeAll
  static void start() {
    startBroker("json-abuse");
  }

  static Stream<Arguments> malformed() {
    String offer = "{\"type\":\"OFFER\"," + DST + ",\"payload\":";
    return Stream.of(
        Arguments.of("not JSON", "hello"),
        Arguments.of("empty", ""),
        Arguments.of("cut short", offer + "{\"sdp\":\"v=0"),
        Arguments.of("array", "[{\"type\":\"OFFER\"}]"),
        Arguments.of("string", "\"OFFER\""),
        Arguments.of("number", "42"),
        Arguments.of("null", "null"),
        Arguments.of("no type", "{" + DST + "}"),
        Arguments.of("type a number", "{\"type\":1," + DST + "}"),
        Arguments.of("type an object", "{\"type\":{\"x\":\"OFFER\"}," + DST + "}"),
        Arguments.of("dst an array", "{\"type\":\"OFFER\",\"dst\":[\"a\"]}"),
        Arguments.of("two values", offer + "1} {}"),
        Arguments.of("trailing comma", offer + "1,}"),
        Arguments.of("NaN", offer + "NaN}"),
        Arguments.of("single quotes", "{'type':'OFFER'}"),
        Arguments.of("comment", "{/* x */\"type\":\"OFFER\"," + DST + "}"),
        Arguments.of("raw control character in a string", offer + "\"a\u0001b\"}"),
        Arguments.of("NUL bytes", "\u0000\u0000\u0000"),
        Arguments.of("nested 30 000 arrays", offer + "[".repeat(30_000) + "]".repeat(30_000) + "}"),
        Arguments.of("nested 10 000 objects", offer + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}"),
        Arguments.of("unclosed nesting", offer + "[".repeat(60_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedJsonGetsAnErrorAndTheSenderCarriesOn(String what, String frame) throws Exception {
    String id = attackerId("json");
    RawWebSocket attacker = attackerPeer(id);
    attacker.text(frame);
    JsonObject error = new JsonObject(attacker.readFrame().text());
    assertEquals("ERROR", error.getString("type"), error::encode);
    assertTrue(error.getJsonObject("payload").getString("msg").startsWith("Invalid message: "), error::encode);
    // One bad frame costs the sender nothing more: its next good one is relayed (to itself).
    attacker.text("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\"}");
    assertEquals(id, new JsonObject(attacker.readFrame().text()).getString("src"));
  }

  static Stream<Arguments> overLimits() {
    String offer = "{\"type\":\"OFFER\"," + DST + ",\"payload\":";
    return Stream.of(
        Arguments.of("a number of 1 001 digits", offer + "1".repeat(1001) + "}"),
        Arguments.of("a number of 60 000 digits", offer + "9".repeat(60_000) + "}"),
        Arguments.of("a fraction of 5 000 digits", offer + "0." + "3".repeat(5000) + "}"),
        Arguments.of("a key of 50 001 characters", offer + "{\"" + "k".repeat(50_001) + "\":1}}"));
  }

  /**
   * Jackson's read limits (numbers of 1000 digits, names of 50 000 characters) are not nesting; the
   * ERROR must say what it is, not "JSON nested too deeply".
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("overLimits")
  void valuesOverTheParsersLimitsAreRefusedForWhatTheyAre(String what, String frame) throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("limits"));
    attacker.text(frame);
    JsonObject error = new JsonObject(attacker.readFrame().text());
    assertEquals("ERROR", error.getString("type"), error::encode);
    String msg = error.getJsonObject("payload").getString("msg");
    assertTrue(msg.startsWith("Invalid message: "), msg);
    assertFalse(msg.contains("nest"), () -> what + " reported as " + msg);
  }

  @Test
  void aFrameJustOverMaxMessageSizeGetsAnErrorAndClose1009() throws Exception {
    String id = attackerId("big");
    RawWebSocket attacker = attackerPeer(id);
    attacker.text("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\",\"payload\":\"" + "x".repeat(65_536) + "\"}");
    assertEquals(1009, attacker.awaitClose(Duration.ofSeconds(5)));
  }

  @Test
  void aFrameAnnouncingSixteenMegabytesIsClosed1009BeforeItIsRead() throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("huge"));
    // The header alone: a masked text frame of 16 MiB. The broker must not wait for (or buffer) the body.
    attacker.writeRaw(new byte[] {(byte) 0x81, (byte) 0xff, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4});
    assertEquals(1009, attacker.awaitClose(Duration.ofSeconds(5)));
  }
}

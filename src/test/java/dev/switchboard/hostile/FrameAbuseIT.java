package dev.switchboard.hostile;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import static dev.switchboard.hostile.RawWebSocket.BINARY;
import static dev.switchboard.hostile.RawWebSocket.CLOSE;
import static dev.switchboard.hostile.RawWebSocket.CONTINUATION;
import static dev.switchboard.hostile.RawWebSocket.PING;
import static dev.switchboard.hostile.RawWebSocket.PONG;
import static dev.switchboard.hostile.RawWebSocket.TEXT;
import static dev.switchboard.hostile.RawWebSocket.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile WebSocket frames after a good upgrade: binary and fragmented frames, invalid UTF-8, bad control
 * frames, unmasked frames, reserved opcodes and bits, impossible lengths, connections cut mid-frame.
 * RFC 6455 says how each ends: protocol errors with 1002 (sections 5.1–5.5, 7.4.1), text that is not
 * UTF-8 with 1007 (8.1). The sender is closed, its id freed, and nothing of it reaches the control pair.
 */
class FrameAbuseIT extends HostileSuite {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  @BeforeAll
  static void start() {
    startBroker("frame-abuse");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] close(int code, byte[] reason) {
    return concat(new byte[] {(byte) (code >> 8), (byte) code}, reason);
  }

  static Stream<Arguments> protocolErrors() {
    byte[] hi = utf8("{\"type\":\"HEARTBEAT\"}");
    return Stream.of(
        Arguments.of("unmasked text frame", encode(true, 0, TEXT, false, hi), Set.of(1002)),
        Arguments.of("unmasked ping", encode(true, 0, PING, false, utf8("x")), Set.of(1002)),
        Arguments.of("continuation without a start", encode(true, 0, CONTINUATION, true, hi), Set.of(1002)),
        Arguments.of("new text frame inside a fragmented one",
            concat(encode(false, 0, TEXT, true, utf8("{\"type\":")), encode(true, 0, TEXT, true, hi)), Set.of(1002)),
        Arguments.of("fragmented ping", encode(false, 0, PING, true, utf8("x")), Set.of(1002)),
        Arguments.of("ping of 126 bytes", encode(true, 0, PING, true, new byte[126]), Set.of(1002)),
        Arguments.of("close of 1 byte", encode(true, 0, CLOSE, true, new byte[] {3}), Set.of(1002)),
        Arguments.of("close with code 999", encode(true, 0, CLOSE, true, close(999, new byte[0])), Set.of(1002)),
        Arguments.of("close with code 1005", encode(true, 0, CLOSE, true, close(1005, new byte[0])), Set.of(1002)),
        Arguments.of("close with a reason that is not UTF-8",
            encode(true, 0, CLOSE, true, close(1000, new byte[] {(byte) 0xc3, 0x28})), Set.of(1002, 1007)),
        Arguments.of("reserved data opcode 0x3", encode(true, 0, 0x3, true, hi), Set.of(1002)),
        Arguments.of("reserved data opcode 0x7", encode(true, 0, 0x7, true, hi), Set.of(1002)),
        Arguments.of("reserved control opcode 0xB", encode(true, 0, 0xB, true, new byte[0]), Set.of(1002)),
        Arguments.of("reserved control opcode 0xF", encode(true, 0, 0xF, true, new byte[0]), Set.of(1002)),
        Arguments.of("RSV1 without an extension", encode(true, 4, TEXT, true, hi), Set.of(1002)),
        Arguments.of("RSV3 on a ping", encode(true, 1, PING, true, new byte[0]), Set.of(1002)),
        Arguments.of("64-bit length with the top bit set",
            new byte[] {(byte) 0x81, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4}, Set.of(1002, 1009)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocolErrors")
  void protocolErrorsCloseTheSenderAsTheRfcSays(String what, byte[] bytes, Set<Integer> codes) throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("frames"));
    attacker.writeRaw(bytes);
    int code = attacker.awaitClose(CLOSE_WAIT);
    assertTrue(codes.contains(code), () -> what + ": closed with " + code + ", expected one of " + codes);
  }

  static Stream<Arguments> invalidUtf8() {
    byte[] head = utf8("{\"type\":\"OFFER\",\"dst\":\"DST\",\"payload\":\"");
    byte[] tail = utf8("\"}");
    return Stream.of(
        Arguments.of("a stray continuation byte", head, new byte[] {(byte) 0x80}, tail),
        Arguments.of("a two-byte sequence cut short", head, new byte[] {(byte) 0xc3, 0x28}, tail),
        Arguments.of("an overlong NUL", head, new byte[] {(byte) 0xc0, (byte) 0x80}, tail),
        Arguments.of("a UTF-16 surrogate", head, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, tail),
        Arguments.of("a code point above U+10FFFF", head, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, tail),
        Arguments.of("0xFF", head, new byte[] {(byte) 0xff}, tail),
        Arguments.of("a sequence cut by the end of the message", utf8("{\"type\":\"OFFER\",\"dst\":\"DST\"} "),
            new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[0]));
  }

  /** Text that is not UTF-8 is never relayed: the sender is closed with 1007 (RFC 6455 8.1). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void textThatIsNotUtf8IsClosed1007AndNotRelayed(String what, byte[] head, byte[] bad, byte[] tail) throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("utf"));
    byte[] headTo = new String(head, StandardCharsets.UTF_8).replace("DST", control.receiverId()).getBytes(StandardCharsets.UTF_8);
    attacker.text(concat(headTo, bad, tail));
    assertEquals(1007, attacker.awaitClose(CLOSE_WAIT), what);
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsIsClosed1007() throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("utfsplit"));
    attacker.frame(false, 0, TEXT, true, utf8("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\",\"payload\":\"\u00e9"))
        .frame(false, 0, CONTINUATION, true, new byte[] {(byte) 0xe2, (byte) 0x82})
        .frame(true, 0, CONTINUATION, true, utf8("x\"}"));
    assertEquals(1007, attacker.awaitClose(CLOSE_WAIT));
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsRelayedIntact() throws Exception {
    String id = attackerId("split");
    RawWebSocket attacker = attackerPeer(id);
    byte[] euro = utf8("\u20ac");
    attacker.frame(false, 0, TEXT, true, concat(utf8("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\",\"payload\":\""), new byte[] {euro[0]}))
        .frame(true, 0, PING, true, utf8("between fragments"))
        .frame(false, 0, CONTINUATION, true, new byte[] {euro[1]})
        .frame(true, 0, CONTINUATION, true, concat(new byte[] {euro[2]}, utf8("\"}")));
    RawWebSocket.Frame pong = attacker.readFrame();
    assertEquals(PONG, pong.opcode());
    assertEquals("between fragments", pong.text());
    JsonObject relayed = new JsonObject(attacker.readFrame().text());
    assertEquals("\u20ac", relayed.getString("payload"));
  }

  @Test
  void binaryFramesGetAnErrorWholeOrFragmentedAndTheSenderCarriesOn() throws Exception {
    String id = attackerId("binary");
    RawWebSocket attacker = attackerPeer(id);
    byte[] offer = utf8("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\"}");
    attacker.frame(true, 0, BINARY, true, offer)
        .frame(false, 0, BINARY, true, offer).frame(false, 0, CONTINUATION, true, offer).frame(true, 0, CONTINUATION, true, offer);
    for (int i = 0; i < 2; i++) {
      JsonObject error = new JsonObject(attacker.readFrame().text());
      assertEquals("Invalid message: binary frames are not supported; send JSON text", error.getJsonObject("payload").getString("msg"));
    }
    attacker.text("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\"}");
    assertEquals(id, new JsonObject(attacker.readFrame().text()).getString("src"));
  }

  @Test
  void aThousandPingsAreAnsweredAndUnaskedPongsIgnored() throws Exception {
    String id = attackerId("pings");
    RawWebSocket attacker = attackerPeer(id);
    byte[] pings = new byte[0];
    for (int i = 0; i < 1000; i++) {
      pings = concat(pings, encode(true, 0, PING, true, utf8(Integer.toString(i))), encode(true, 0, PONG, true, utf8("?")));
    }
    attacker.writeRaw(pings);
    for (int i = 0; i < 1000; i++) {
      RawWebSocket.Frame pong = attacker.readFrame();
      assertEquals(PONG, pong.opcode());
      assertEquals(Integer.toString(i), pong.text());
    }
  }

  @Test
  void connectionsCutMidFrameOrMidMessageLeaveNoGhost() throws Exception {
    for (int i = 0; i < 20; i++) {
      RawWebSocket attacker = RawWebSocket.open(port(), attackerId("cut"));
      byte[] frame = encode(true, 0, TEXT, true, utf8("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\"}"));
      if (i % 2 == 0) {
        attacker.writeRaw(java.util.Arrays.copyOf(frame, frame.length / 2)); // half a frame
      } else {
        attacker.frame(false, 0, TEXT, true, utf8("{\"type\":")); // half a message
      }
      attacker.close();
    }
  }

  @Test
  void framesAfterTheClientsCloseAreIgnored() throws Exception {
    RawWebSocket attacker = attackerPeer(attackerId("afterclose"));
    attacker.writeRaw(concat(encode(true, 0, CLOSE, true, close(1000, new byte[0])),
        encode(true, 0, TEXT, true, utf8("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\"}"))));
    assertEquals(1000, attacker.awaitClose(CLOSE_WAIT));
  }
}

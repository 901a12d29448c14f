package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String relay(String json, String src) throws MalformedFrameException {
    ClientFrame frame = FrameCodec.decode(utf8(json));
    return new String(FrameCodec.relayed(frame, src, FrameCodec.srcMember(src)), StandardCharsets.UTF_8);
  }

  @Test
  void payloadStringsReadsNamedMembersPastAnSdpAndNothingElse() throws Exception {
    ClientFrame offer = FrameCodec.decode(("{\"type\":\"OFFER\",\"payload\":{\"sdp\":{\"type\":\"offer\","
        + "\"sdp\":\"v=0\\r\\n\"},\"nested\":[{\"connectionId\":\"no\"}],\"type\":\"media\","
        + "\"connectionId\":\"mc_1\",\"metadata\":7},\"dst\":\"b\"}").getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new String[] {"media", "mc_1", null}, offer.payloadStrings("type", "connectionId", "metadata"));
    ClientFrame noPayload = FrameCodec.decode("{\"type\":\"OFFER\",\"payload\":\"x\",\"dst\":\"b\"}"
        .getBytes(StandardCharsets.UTF_8));
    assertNull(noPayload.payloadStrings("type"));
  }

  @Test
  void peerJsHeartbeatTakesTheShortcutAndDecodesAsAnyHeartbeat() throws Exception {
    ClientFrame exact = FrameCodec.decode("{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8));
    ClientFrame parsed = FrameCodec.decode("{ \"type\" : \"HEARTBEAT\" }".getBytes(StandardCharsets.UTF_8));
    assertEquals(MessageType.HEARTBEAT, exact.type());
    assertEquals(parsed.typeName(), exact.typeName());
    assertNull(exact.dst());
    assertEquals('}', exact.json()[exact.closingBrace()]);
    assertTrue(exact.hasMembers());
    assertFalse(exact.hasSrc());
    // relayed like any frame (a client may address a HEARTBEAT to nobody; the router drops it)
    assertEquals("{\"type\":\"HEARTBEAT\",\"src\":\"a\"}",
        new String(FrameCodec.relayed(exact, "a", FrameCodec.srcMember("a")), StandardCharsets.UTF_8));
    // anything else that merely looks like one is parsed and checked
    assertThrows(MalformedFrameException.class,
        () -> FrameCodec.decode("{\"type\":\"HEARTBEAT\"}x".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void srcMemberIsValidJsonForPlainAndEscapedIds() {
    assertEquals("\"src\":\"alice-1 b_2\"", new String(FrameCodec.srcMember("alice-1 b_2"), StandardCharsets.UTF_8));
    assertEquals("\"src\":\"q\\\"x\\\\y\\n\"", new String(FrameCodec.srcMember("q\"x\\y\n"), StandardCharsets.UTF_8));
    assertEquals("\"src\":\"été\"", new String(FrameCodec.srcMember("été"), StandardCharsets.UTF_8));
  }

  @Test
  void decodesTypeAndDst() throws Exception {
    ClientFrame frame = FrameCodec.decode(utf8("{\"type\":\"OFFER\",\"payload\":{\"dst\":\"x\",\"type\":\"y\"},\"dst\":\"bob\"}"));
    assertEquals(MessageType.OFFER, frame.type());
    assertEquals("bob", frame.dst());
    assertFalse(frame.hasSrc());
  }

  @Test
  void unknownTypesDecodeWithoutAType() throws Exception {
    ClientFrame frame = FrameCodec.decode(utf8("{\"type\":\"FUTURE\"}"));
    assertNull(frame.type());
    assertEquals("FUTURE", frame.typeName());
  }

  @Test
  void nullDstIsAbsent() throws Exception {
    assertNull(FrameCodec.decode(utf8("{\"type\":\"LEAVE\",\"dst\":null}")).dst());
  }

  @Test
  void relayAppendsSrcAsPeerServerDoes() throws Exception {
    assertEquals("{\"type\":\"OFFER\",\"payload\":{\"a\":1},\"dst\":\"bob\",\"src\":\"alice\"}",
        relay("{\"type\":\"OFFER\",\"payload\":{\"a\":1},\"dst\":\"bob\"}", "alice"));
    assertEquals("{\"type\":\"OFFER\",\"dst\":\"bob\" ,\"src\":\"a b\"}",
        relay("{\"type\":\"OFFER\",\"dst\":\"bob\" }  ", "a b"));
  }

  @Test
  void relayKeepsNonAsciiPayloadBytes() throws Exception {
    assertEquals("{\"type\":\"OFFER\",\"payload\":\"h\u00e9llo \u263a\",\"dst\":\"b\",\"src\":\"a\"}",
        relay("{\"type\":\"OFFER\",\"payload\":\"h\u00e9llo \u263a\",\"dst\":\"b\"}", "a"));
  }

  @Test
  void relayOverwritesAClientSrcInItsPlace() throws Exception {
    assertEquals("{\"src\":\"alice\",\"type\":\"OFFER\",\"dst\":\"bob\"}",
        relay("{\"src\":\"mallory\",\"type\":\"OFFER\",\"dst\":\"bob\"}", "alice"));
    assertTrue(FrameCodec.decode(utf8("{\"src\":1,\"type\":\"OFFER\"}")).hasSrc());
  }

  @Test
  void serverMessagesMatchPeerServer() {
    assertEquals("{\"type\":\"OPEN\"}", new String(FrameCodec.open(), StandardCharsets.UTF_8));
    assertEquals("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}",
        new String(FrameCodec.idTaken(), StandardCharsets.UTF_8));
    assertEquals("{\"type\":\"EXPIRE\",\"src\":\"gone\",\"dst\":\"sender\"}",
        new String(FrameCodec.expire("gone", "sender"), StandardCharsets.UTF_8));
    assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid key provided\"}}",
        new String(FrameCodec.error(ErrorText.INVALID_KEY), StandardCharsets.UTF_8));
    assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"quote \\\" here\"}}",
        new String(FrameCodec.error("quote \" here"), StandardCharsets.UTF_8));
  }

  @Test
  void rejectsWhatIsNotAMessage() {
    String[] bad = {"", "   ", "nul", "{", "{\"type\":\"OFFER\"", "[]", "1", "\"x\"", "{}", "{\"type\":null}",
        "{\"type\":[\"OFFER\"]}", "{\"type\":\"OFFER\",\"dst\":5}", "{\"type\":\"OFFER\"}{}", "{'type':'OFFER'}"};
    for (String json : bad) {
      assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(utf8(json)), json);
    }
  }

  @Test
  void textThatIsNotStrictUtf8IsRefusedAsSuch() {
    // Jackson alone decodes all three: an overlong NUL, a surrogate, a code point past U+10FFFF.
    byte[][] invalid = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    for (byte[] bad : invalid) {
      byte[] offer = concat(concat(utf8("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":\""), bad), utf8("\"}"));
      InvalidUtf8Exception e = assertThrows(InvalidUtf8Exception.class, () -> FrameCodec.decode(offer));
      assertEquals("not valid UTF-8", e.getMessage());
    }
  }

  @Test
  void eachParserLimitIsNamedWhenItIsPassed() {
    String[][] cases = {
        {"\"p\":" + "[".repeat(FrameCodec.MAX_NESTING_DEPTH) + "]".repeat(FrameCodec.MAX_NESTING_DEPTH),
            "JSON nested deeper than 64 levels"},
        {"\"p\":-" + "1".repeat(101), "number longer than 100 digits"},
        {"\"p\":[1e" + "1".repeat(101) + "]", "number longer than 100 digits"},
        {"\"p\":-" + "1".repeat(50) + "." + "2".repeat(30) + "e-" + "3".repeat(21), "number longer than 100 digits"},
        {"\"" + "\u00e9".repeat(513) + "\":1", "member name longer than 1024 bytes"},
        {"\"p\":{\"q\":{\"" + "n".repeat(1025) + "\":1}}", "member name longer than 1024 bytes"},
        // A string is measured wherever it stands once the frame could hold one over the limit.
        {"\"p\":[\"" + "s".repeat(FrameCodec.MAX_STRING_LENGTH + 1) + "\"]", "string longer than 1048576 characters"},
        {"\"x\":\"" + "s".repeat(FrameCodec.MAX_STRING_LENGTH + 1) + "\"", "string longer than 1048576 characters"},
    };
    for (String[] c : cases) {
      MalformedFrameException e = assertThrows(MalformedFrameException.class,
          () -> FrameCodec.decode(utf8("{\"type\":\"OFFER\"," + c[0] + "}")));
      assertEquals(c[1], e.getMessage());
    }
    MalformedFrameException dst = assertThrows(MalformedFrameException.class,
        () -> FrameCodec.decode(utf8("{\"type\":\"OFFER\",\"dst\":\"" + "d".repeat(FrameCodec.MAX_STRING_LENGTH + 1) + "\"}")));
    assertEquals("string longer than 1048576 characters", dst.getMessage());
  }

  @Test
  void framesAtEachLimitDecodeAndRelayEvenWithTheirOwnSrc() throws Exception {
    String[] members = {
        "\"p\":" + "[".repeat(63) + "]".repeat(63),
        "\"p\":-" + "1".repeat(100),
        "\"p\":-" + "1".repeat(50) + "." + "2".repeat(30) + "e-" + "3".repeat(20), // digits of all parts count
        "\"" + "\u00e9".repeat(512) + "\":1",
        "\"p\":{\"sdp\":\"" + "\u00e9".repeat(FrameCodec.MAX_STRING_LENGTH) + "\"}",
    };
    for (String m : members) {
      String json = "{\"type\":\"OFFER\",\"dst\":\"b\"," + m + "}";
      assertEquals(MessageType.OFFER, FrameCodec.decode(utf8(json)).type());
      // A client-written src takes the re-serializing path, which must not refuse what decode accepted.
      String relayed = relay("{\"src\":\"x\"," + json.substring(1), "a");
      assertTrue(relayed.startsWith("{\"src\":\"a\","), relayed.substring(0, 20));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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
}

package dev.switchboard.hostile;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests to the XHR transport (PeerServer 0.x's endpoints): message POSTs that are not one
 * JSON object, are not UTF-8, are too big, or name a peer, key or token that is not theirs; streams with
 * nonsense parameters or for the control peers' ids. Each gets its HTTP status (docs/xhr.md) and nothing
 * reaches the control pair except what an admitted sender may send, with its own id as {@code src}.
 */
class XhrAbuseIT extends HostileSuite {

  @BeforeAll
  static void start() {
    startBroker("xhr-abuse");
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static Stream<Arguments> badBodies() {
    String to = "\"dst\":\"RECEIVER\"";
    String head = "{\"type\":\"OFFER\"," + to + ",\"payload\":\"";
    return Stream.of(
        Arguments.of("not JSON", bytes("hello"), 400),
        Arguments.of("empty", bytes(""), 400),
        Arguments.of("an array", bytes("[{\"type\":\"OFFER\"," + to + "}]"), 400),
        Arguments.of("no type", bytes("{" + to + "}"), 400),
        Arguments.of("nested 30 000 deep", bytes("{\"type\":\"OFFER\"," + to + ",\"payload\":", "[".repeat(30_000), "]".repeat(30_000), "}"), 400),
        Arguments.of("an overlong NUL", bytes(head, new byte[] {(byte) 0xc0, (byte) 0x80}, "\"}"), 400),
        Arguments.of("a UTF-16 surrogate", bytes(head, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"}"), 400),
        Arguments.of("a code point above U+10FFFF", bytes(head, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}"), 400),
        Arguments.of("a stray continuation byte", bytes(head, new byte[] {(byte) 0x80}, "\"}"), 400),
        Arguments.of("over max_message_size", bytes(head, "x".repeat(70_000), "\"}"), 413));
  }

  /** Sent by an admitted peer (a WebSocket attacker with its own token), addressed to a control peer. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void badMessageBodiesAreRefusedAndNotRelayed(String what, byte[] body, int status) throws Exception {
    String id = attackerId("xhrbody");
    attackerPeer(id);
    byte[] addressed = new String(body, StandardCharsets.ISO_8859_1).replace("RECEIVER", control.receiverId())
        .getBytes(StandardCharsets.ISO_8859_1);
    RawWebSocket post = attack(RawWebSocket.tcp(port()));
    post.post("/peerjs/" + id + "/token-" + id + "/offer", addressed);
    assertEquals(status, post.readStatus(), what);
  }

  @Test
  void postsInSomeoneElsesNameAreRefused() throws Exception {
    String id = attackerId("xhrname");
    attackerPeer(id);
    byte[] offer = bytes("{\"type\":\"OFFER\",\"dst\":\"" + control.receiverId() + "\",\"payload\":{\"n\":0}}");
    String victim = control.senderId();
    for (String[] c : List.of(
        new String[] {"/peerjs/" + victim + "/guessed/offer", "401"},
        new String[] {"/peerjs/" + victim + "/token-" + id + "/offer", "401"},
        new String[] {"/wrongkey/" + id + "/token-" + id + "/offer", "401"},
        new String[] {"/peerjs/nobodyAtAll/x/offer", "401"},
        new String[] {"/peerjs/" + id + "/token-" + id + "/bogus", "404"})) {
      RawWebSocket post = attack(RawWebSocket.tcp(port()));
      post.post(c[0], offer);
      assertEquals(Integer.parseInt(c[1]), post.readStatus(), c[0]);
    }
  }

  @Test
  void aSpoofedSrcInAPostIsReplacedWithTheSendersId() throws Exception {
    String id = attackerId("xhrspoof");
    attackerPeer(id);
    RawWebSocket post = attack(RawWebSocket.tcp(port()));
    post.post("/peerjs/" + id + "/token-" + id + "/offer", bytes("{\"type\":\"OFFER\",\"src\":\"" + control.senderId()
        + "\",\"dst\":\"" + control.receiverId() + "\",\"payload\":{\"n\":0,\"sdp\":\"v=0\"}}"));
    assertEquals(200, post.readStatus());
    JsonObject got = awaitForeign(1).get(0);
    assertEquals(id, got.getString("src"), got::encode);
  }

  @Test
  void streamsWithNonsenseOrSomeoneElsesIdEndWithAnError() throws Exception {
    for (String uri : List.of(
        "/peerjs/" + control.senderId() + "/stolen/id?i=0",
        "/peerjs/" + control.receiverId() + "/stolen/id?i=0",
        "/peerjs/" + attackerId("neg") + "/t/id?i=-1",
        "/peerjs/" + attackerId("nan") + "/t/id?i=zz",
        "/peerjs/" + "x".repeat(200) + "/t/id?i=0",
        "/nokey/" + attackerId("key") + "/t/id?i=0")) {
      RawWebSocket stream = attack(RawWebSocket.tcp(port()));
      stream.post(uri, new byte[0]);
      String answer = new String(stream.readAll(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("{\"type\":\"HTTP-ERROR\"}"), () -> uri + ": " + answer);
    }
  }
}

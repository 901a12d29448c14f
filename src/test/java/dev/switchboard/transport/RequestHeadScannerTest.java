package dev.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scanner finds a head's end and its folds however the bytes are split into reads. */
class RequestHeadScannerTest {
  private static final String HEAD = "GET / HTTP/1.1\r\nHost: x\r\nX-A: a b\r\n\r\n";

  // Feeds text in pieces of `step` bytes; the offset (in text) just past the head's end, or -1.
  private static int headEnd(RequestHeadScanner scanner, String text, int step) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    for (int at = 0; at < bytes.length; at += step) {
      ByteBuf piece = Unpooled.wrappedBuffer(bytes, at, Math.min(step, bytes.length - at));
      int end = scanner.scan(piece);
      if (end >= 0) {
        return at + end;
      }
      if (scanner.folded()) {
        return -1;
      }
    }
    return -1;
  }

  @Test
  void findsTheEndOfAHeadSplitAnywhere() {
    for (int step = 1; step <= HEAD.length(); step++) {
      RequestHeadScanner scanner = new RequestHeadScanner();
      assertEquals(HEAD.length(), headEnd(scanner, HEAD + "body", step), "step " + step);
      assertEquals(RequestHeadScanner.State.AFTER_HEAD, scanner.state());
      assertFalse(scanner.folded());
    }
  }

  @Test
  void skipsEmptyLinesBeforeTheRequestLineAndAcceptsBareLf() {
    assertEquals(HEAD.length() + 2, headEnd(new RequestHeadScanner(), "\r\n" + HEAD, 3));
    String bare = "GET / HTTP/1.1\nHost: x\n\n";
    assertEquals(bare.length(), headEnd(new RequestHeadScanner(), bare, 1));
  }

  @Test
  void findsFoldedLinesAfterSpaceOrTabButNotInsideALine() {
    for (String fold : new String[] {" ", "\t"}) {
      for (int step = 1; step < 8; step++) {
        RequestHeadScanner scanner = new RequestHeadScanner();
        assertEquals(-1, headEnd(scanner, "GET / HTTP/1.1\r\nX-A: a\r\n" + fold + "b\r\n\r\n", step));
        assertTrue(scanner.folded(), "step " + step);
      }
    }
  }

  @Test
  void startsAgainAfterTheRequestWasRead() {
    RequestHeadScanner scanner = new RequestHeadScanner();
    assertEquals(HEAD.length(), headEnd(scanner, HEAD, 5));
    scanner.requestRead();
    assertEquals(RequestHeadScanner.State.BETWEEN, scanner.state());
    assertEquals(HEAD.length(), headEnd(scanner, HEAD, 7));
  }
}

package dev.switchboard.transport;

import io.netty.buffer.ByteBuf;

/**
 * Follows the bytes of HTTP/1.x request heads ahead of the decoder: where a head starts, where its
 * empty line ends it, and whether a header line is folded. Netty's decoder joins an obs-fold line to
 * the header before it (RFC 7230 §3.2.4 allows that or 400), so after decoding a fold cannot be told
 * apart from a space; a proxy in front may have read the same bytes as two headers, so it is refused.
 * Bodies are not scanned: after a head the scanner waits for {@link #requestRead()}.
 */
final class RequestHeadScanner {
  enum State {
    /** No byte of the next request yet. */
    BETWEEN,
    /** Inside a request line or header section. */
    HEAD,
    /** The head ended; the body (or the upgraded protocol) follows, not scanned. */
    AFTER_HEAD
  }

  private State state = State.BETWEEN;
  // Lines of this head so far (0: the request line) and bytes of the current line, CR left out.
  private int line;
  private int lineBytes;
  private boolean folded;

  State state() {
    return state;
  }

  /** Whether a folded header line (obs-fold) was seen; scanning stops there. */
  boolean folded() {
    return folded;
  }

  /** The request whose head was the last one scanned is fully read: the next byte starts a new head. */
  void requestRead() {
    state = State.BETWEEN;
  }

  /**
   * Scans {@code buf}'s readable bytes (not consuming them) while a head is being read.
   *
   * @return how many bytes, from the reader index, make up the rest of the head when it ends in
   *     {@code buf}; -1 when it does not (or a fold was found)
   */
  int scan(ByteBuf buf) {
    int from = buf.readerIndex();
    int to = buf.writerIndex();
    for (int i = from; i < to && state != State.AFTER_HEAD; i++) {
      if (state == State.BETWEEN) {
        state = State.HEAD;
        line = 0;
        lineBytes = 0;
      }
      byte b = buf.getByte(i);
      if (b == '\n') {
        if (lineBytes > 0) {
          line++;
          lineBytes = 0;
        } else if (line > 0) {
          state = State.AFTER_HEAD;
          return i + 1 - from;
        }
        // else: an empty line before the request line, which RFC 9112 §2.2 lets a server ignore
      } else if (b != '\r') {
        if (lineBytes == 0 && line > 0 && (b == ' ' || b == '\t')) {
          folded = true;
          return -1;
        }
        lineBytes++;
      }
    }
    return -1;
  }
}

package dev.switchboard.protocol;

/**
 * A client frame whose bytes are not UTF-8. Unlike other malformed frames it ends the sender's WebSocket
 * (close 1007, RFC 6455 8.1): a browser that received such a frame would have to fail its own.
 */
public final class InvalidUtf8Exception extends MalformedFrameException {
  /** The reason, as it follows {@code "Invalid message: "}. */
  public static final String REASON = "not valid UTF-8";

  public InvalidUtf8Exception() {
    super(REASON);
  }
}

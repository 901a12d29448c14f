package dev.switchboard.protocol;

/** A client frame that is not a message: the text says what is wrong, for the ERROR sent back. */
public class MalformedFrameException extends Exception {
  public MalformedFrameException(String reason) {
    super(reason, null, false, false);
  }
}

package dev.switchboard.routing;

import dev.switchboard.protocol.ClientFrame;

/**
 * Handles the frames of one wire type that peers send, registered in {@link MessageHandlers}. PeerServer's
 * types are the default entries ({@link PeerServerHandlers}); an application registers its own types or
 * replaces a default.
 *
 * <p>Called on the sender's event loop (or the thread that routed its frame) after the frame was checked
 * ({@link dev.switchboard.protocol.FrameCodec#decode}: strict UTF-8, one JSON object, a string
 * {@code type}, a string {@code dst} if any, within the JSON limits) and counted as a sign of life. It
 * must not block. A handler that throws ends the sender with "Internal server error"; the server goes on.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * @param from the sending peer's connection on this node
   * @param frame the frame as it came (its bytes, {@code type}, {@code dst}; {@link ClientFrame#payload()}
   *     parses the payload when a handler needs it)
   * @param broker what the handler may do: send, relay, end, look up
   */
  void handle(PeerLink from, ClientFrame frame, Broker broker);
}

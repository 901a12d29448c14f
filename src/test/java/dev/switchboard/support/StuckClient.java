package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends one HTTP request and then never reads: a raw socket with a small receive buffer,
 * so what the server writes to it piles up on the server's side. For slow-consumer tests.
 */
public final class StuckClient implements AutoCloseable {
  private final Socket socket = new Socket();

  private StuckClient(int port, String request) {
    try {
      socket.setReceiveBufferSize(4096); // before connect, so the window advertised stays small
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code POST {uri}} with an empty body, then silence. */
  public static StuckClient post(int port, String uri) {
    return new StuckClient(port, "POST " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Length: 0\r\n\r\n");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

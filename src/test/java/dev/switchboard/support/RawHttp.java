package dev.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection to a broker on loopback, for what no HTTP client will send: idle sockets,
 * trickled heads, unfinished bodies, malformed requests. Reads block with a deadline, never sleep.
 */
public final class RawHttp implements AutoCloseable {
  /** The longest any read waits for the broker. */
  public static final int WAIT_MS = 10_000;

  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private boolean ended;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects from 127.0.0.1. */
  public static RawHttp connect(int port) {
    return connectFrom("127.0.0.1", port);
  }

  /** Connects from {@code localAddress} (any 127.x.y.z works on Linux loopback), to count as another client. */
  public static RawHttp connectFrom(String localAddress, int port) {
    try {
      Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0);
      socket.setSoTimeout(WAIT_MS);
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new AssertionError("cannot connect from " + localAddress, e);
    }
  }

  /** Writes {@code text} (ISO-8859-1); false when the broker had already closed the connection. */
  public boolean write(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** Reads until the broker closes the connection (or resets it); everything received, as text. */
  public String readUntilClosed() {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      while (!ended && (n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the broker did not close the connection within " + WAIT_MS + " ms; got: " + text());
    } catch (IOException reset) {
      // a reset is a close too
    }
    ended = true;
    return text();
  }

  /** Reads until what was received contains {@code expected} or the broker closes; everything received. */
  public String readUntilOrClosed(String expected) {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int n;
      while (!text().contains(expected) && (n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("neither \"" + expected + "\" nor a close within " + WAIT_MS + " ms; got: " + text());
    } catch (IOException reset) {
      // a reset is a close too
    }
    return text();
  }

  /** Reads until what was received contains {@code expected}; everything received so far. */
  public String readUntil(String expected) {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (!text().contains(expected)) {
        int n = in.read(buffer);
        if (n < 0) {
          ended = true;
          throw new AssertionError("closed before \"" + expected + "\" arrived; got: " + text());
        }
        received.write(buffer, 0, n);
      }
      return text();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("\"" + expected + "\" did not arrive within " + WAIT_MS + " ms; got: " + text());
    } catch (IOException e) {
      throw new AssertionError("connection failed before \"" + expected + "\" arrived; got: " + text(), e);
    }
  }

  /** Whether the broker has closed the connection, looking without waiting more than {@code ms}. */
  public boolean isClosedWithin(int ms) {
    try {
      socket.setSoTimeout(ms);
      int b = socket.getInputStream().read();
      if (b >= 0) {
        received.write(b);
        return false;
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    } finally {
      try {
        socket.setSoTimeout(WAIT_MS);
      } catch (IOException ignored) {
        // closed
      }
    }
  }

  public String text() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}

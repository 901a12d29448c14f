package dev.switchboard.hostile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain blocking socket that writes whatever it is told: frames masked or not,
 * fragmented, with reserved opcodes or bits, control frames of any size, or raw bytes. It reads the
 * server's frames back one at a time. Attack connections come from {@link #ATTACKER_ADDRESS}, so that a
 * per-address limit that catches them never counts the control peers (127.0.0.1).
 */
final class RawWebSocket implements AutoCloseable {
  /** Source address of every attack connection (loopback: all of 127/8 is local on Linux). */
  static final String ATTACKER_ADDRESS = "127.0.0.2";
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CONTINUATION = 0x0;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A frame from the server. */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 (none) when it carries none. */
    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** A bare TCP connection from the attacker's address, nothing written yet. */
  static RawWebSocket tcp(int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(ATTACKER_ADDRESS, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    return new RawWebSocket(socket);
  }

  /** The upgrade request PeerJS 1.5.5 makes for {@code id} (key peerjs), with extra header lines. */
  static String upgradeRequest(String id, String token, String... headerLines) {
    StringBuilder request = new StringBuilder("GET /peerjs?key=peerjs&id=" + id + "&token=" + token
        + "&version=1.5.5 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  /** Upgrades as peer {@code id} and reads up to and including OPEN; fails on anything else. */
  static RawWebSocket open(int port, String id) throws IOException {
    RawWebSocket ws = tcp(port);
    try {
      ws.writeAscii(upgradeRequest(id, "token-" + id));
      String head = ws.readHead();
      if (!head.startsWith("HTTP/1.1 101")) {
        throw new AssertionError("upgrade of " + id + " refused: " + head);
      }
      Frame first = ws.readFrame();
      if (first == null || !"{\"type\":\"OPEN\"}".equals(first.text())) {
        throw new AssertionError(id + ": expected OPEN, got " + (first == null ? "end of stream" : first.text()));
      }
      return ws;
    } catch (IOException | AssertionError e) {
      ws.close();
      throw e;
    }
  }

  /** Writes {@code POST uri} with {@code body} as JSON, the connection to close after the answer. */
  RawWebSocket post(String uri, byte[] body) throws IOException {
    writeAscii("POST " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n");
    return writeRaw(body);
  }

  /** Asks for a small receive buffer, for a client that stops reading; call before connecting. */
  static RawWebSocket tcpWithReceiveBuffer(int port, int bytes) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(bytes);
    socket.bind(new InetSocketAddress(ATTACKER_ADDRESS, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return new RawWebSocket(socket);
  }

  RawWebSocket writeAscii(String text) throws IOException {
    return writeRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawWebSocket writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** A final, masked text frame. */
  RawWebSocket text(String text) throws IOException {
    return frame(true, 0, TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A final, masked text frame of exactly these bytes (which need not be UTF-8). */
  RawWebSocket text(byte[] bytes) throws IOException {
    return frame(true, 0, TEXT, true, bytes);
  }

  /** Any frame: {@code rsv} are the three reserved bits (0–7), {@code opcode} any 4-bit value. */
  RawWebSocket frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) throws IOException {
    return writeRaw(encode(fin, rsv, opcode, masked, payload));
  }

  static byte[] encode(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
    int length = payload.length;
    int lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
    byte[] frame = new byte[2 + lengthBytes + (masked ? 4 : 0) + length];
    frame[0] = (byte) ((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xf));
    frame[1] = (byte) ((masked ? 0x80 : 0) | (lengthBytes == 0 ? length : lengthBytes == 2 ? 126 : 127));
    int at = 2;
    for (int i = lengthBytes - 1; i >= 0; i--) {
      frame[at++] = (byte) ((long) length >>> (8 * i));
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      System.arraycopy(mask, 0, frame, at, 4);
      at += 4;
    }
    for (int i = 0; i < length; i++) {
      frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return frame;
  }

  /** The status line and headers of an HTTP answer, up to the blank line. */
  String readHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      if (b < 0) {
        if (head.length() == 0) {
          throw new EOFException("connection closed without an answer");
        }
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** The HTTP status of the answer, or -1 when the server closed without answering. */
  int readStatus() throws IOException {
    String head;
    try {
      head = readHead();
    } catch (EOFException | java.net.SocketException closed) {
      return -1;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer within " + socket.getSoTimeout() + " ms");
    }
    if (!head.startsWith("HTTP/1.")) {
      throw new AssertionError("not an HTTP/1 answer: " + printable(head));
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Everything until the server ends the connection (within the read timeout). */
  byte[] readAll() throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not end the connection within " + socket.getSoTimeout() + " ms");
    }
  }

  /** The next frame, or {@code null} at the end of the stream; waits up to the socket's timeout. */
  Frame readFrame() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = readByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = (readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    if (length > 16 * 1024 * 1024) {
      throw new AssertionError("the server announced a frame of " + length + " bytes");
    }
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, in.readNBytes((int) length));
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a frame");
    }
    return b;
  }

  /**
   * Reads until the server's close frame and the end of the connection, within {@code within}; returns
   * the close code (1006 when the connection ended without a close frame). Text frames before it (the
   * ERROR notice) are skipped.
   */
  int awaitClose(Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    int code = 1006;
    try {
      for (Frame frame; (frame = readFrame()) != null; ) {
        if (frame.opcode() == CLOSE) {
          code = frame.closeCode();
          // Answer as a client should; the server then ends the connection.
          writeRaw(encode(true, 0, CLOSE, true, frame.payload().length >= 2 ? new byte[] {frame.payload()[0], frame.payload()[1]} : new byte[0]));
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not end the connection within " + within.toMillis() + " ms");
    } catch (java.net.SocketException reset) {
      // reset while writing our close: the server had already gone
    }
    return code;
  }

  /**
   * Reads and discards until the server ends the connection; true if it did so within {@code within},
   * false if the connection was still open then.
   */
  boolean endsWithin(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    byte[] sink = new byte[8192];
    try {
      while (true) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout((int) left);
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** Sets how long a read may wait. */
  RawWebSocket timeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    return this;
  }

  /** At most 300 characters of {@code text}, for failure messages. */
  static String printable(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /** Starts a daemon thread that reads and discards everything, so the server never sees a slow reader. */
  RawWebSocket drainInBackground() {
    Thread reader = new Thread(() -> {
      byte[] sink = new byte[65536];
      try {
        socket.setSoTimeout(0);
        while (in.read(sink) >= 0) {
          // discard
        }
      } catch (IOException e) {
        // closed
      }
    }, "drain of attacker " + socket.getLocalPort());
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}

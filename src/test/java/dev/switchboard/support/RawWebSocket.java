package dev.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client on a plain socket, for bytes no well-behaved client library would send (invalid
 * UTF-8 in a text frame, odd fragments, a bad close reason). Frames it writes are masked as RFC 6455
 * requires of clients; it reads the server's frames one by one.
 */
public final class RawWebSocket implements AutoCloseable {
  /** RFC 6455 opcodes. */
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;

  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** A frame from the server. */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or -1 when it has none. */
    public int closeCode() {
      return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects as PeerJS peer {@code id} (key {@code peerjs}, token {@code t}) and reads up to its OPEN. */
  public static RawWebSocket open(int port, String id) throws IOException {
    RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
    ws.socket.setSoTimeout((int) TestPeer.WAIT.toMillis());
    ws.out.write(("GET /peerjs?key=peerjs&id=" + id + "&token=t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String head = ws.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101"), head);
    Frame open = ws.read();
    assertTrue(open.opcode() == TEXT && open.text().equals("{\"type\":\"OPEN\"}"), open.text());
    return ws;
  }

  /** Sends a complete text message. */
  public RawWebSocket sendText(byte[] payload) throws IOException {
    return send(true, TEXT, payload);
  }

  /** Sends one frame, masked. */
  public RawWebSocket send(boolean fin, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      assertTrue(payload.length <= 0xffff, "frames up to 64 KiB");
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    frame.write(MASK);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ MASK[i & 3]);
    }
    out.write(frame.toByteArray());
    out.flush();
    return this;
  }

  /** Sends a close frame with {@code code} and the reason bytes as given. */
  public RawWebSocket sendClose(int code, byte[] reason) throws IOException {
    byte[] payload = new byte[2 + reason.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(reason, 0, payload, 2, reason.length);
    return send(true, CLOSE, payload);
  }

  /** The next frame from the server (waits up to {@link TestPeer#WAIT}). */
  public Frame read() throws IOException {
    int first = readByte();
    int second = readByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = (readByte() << 8) | readByte();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte();
      }
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new EOFException("frame cut short");
    }
    return new Frame((first & 0x80) != 0, first & 0x0f, payload);
  }

  /** Whether the server has ended the TCP connection (reads what is left first). */
  public boolean isEnded() throws IOException {
    return in.read() < 0;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection ended");
    }
    return b;
  }

  private String readHead() throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      head.append((char) readByte());
    }
    return head.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

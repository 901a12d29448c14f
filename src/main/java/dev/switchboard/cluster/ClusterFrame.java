package dev.switchboard.cluster;

import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.OfflineMailbox;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages nodes send each other over the event bus, as compact buffers (the relay path runs once
 * per signalling message, so no JSON and no headers):
 * <ul>
 *   <li>relay: {@code 'R' type:byte order:long from dst message}</li>
 *   <li>batch: {@code 'B' (length:int relay)*} — relays from one event loop to one node, in order</li>
 *   <li>collect: {@code 'C' id node} — "id connected on node: hand over its queue"; the reply is
 *   {@code count:int (order:long sender message)*}</li>
 *   <li>sent: {@code 'S' id tokenDigest message} — "peer id (with a token of this digest) sent this frame
 *   to another node"; the reply is one byte, {@link #TAKEN} or {@link #NOT_HELD}</li>
 *   <li>goodbye: {@code 'G' node} — "node leaves the cluster gracefully"; the reply is empty</li>
 * </ul>
 * Strings and byte arrays are written as a length (int) and their bytes.
 */
final class ClusterFrame {
  static final byte RELAY = 'R';
  static final byte BATCH = 'B';
  static final byte COLLECT = 'C';
  static final byte SENT = 'S';
  static final byte GOODBYE = 'G';
  /** Reply to {@link #SENT}: the holder routed the frame. */
  static final byte TAKEN = 1;
  /** Reply to {@link #SENT}: the holder has no such peer with that token (any more). */
  static final byte NOT_HELD = 0;
  private static final MessageType[] TYPES = MessageType.values();

  private ClusterFrame() {
  }

  /** A relayed message, decoded. */
  record Relay(String from, MessageType type, String dst, byte[] message, long order) {
  }

  /** A collect request, decoded. */
  record Collect(String id, String node) {
  }

  /** A frame a peer sent to another node than its own, decoded. */
  record Sent(String id, String tokenDigest, byte[] message) {
  }

  static Buffer relay(String from, MessageType type, String dst, byte[] message, long order) {
    Buffer buffer = Buffer.buffer(message.length + from.length() + dst.length() + 24)
        .appendByte(RELAY).appendByte((byte) type.ordinal()).appendLong(order);
    appendString(buffer, from);
    appendString(buffer, dst);
    return buffer.appendInt(message.length).appendBytes(message);
  }

  static Buffer collect(String id, String node) {
    Buffer buffer = Buffer.buffer().appendByte(COLLECT);
    appendString(buffer, id);
    appendString(buffer, node);
    return buffer;
  }

  static Buffer sent(String id, String tokenDigest, byte[] message) {
    Buffer buffer = Buffer.buffer(message.length + id.length() + tokenDigest.length() + 16).appendByte(SENT);
    appendString(buffer, id);
    appendString(buffer, tokenDigest);
    return buffer.appendInt(message.length).appendBytes(message);
  }

  static Buffer goodbye(String node) {
    Buffer buffer = Buffer.buffer().appendByte(GOODBYE);
    appendString(buffer, node);
    return buffer;
  }

  static String readGoodbye(Buffer buffer) {
    return readString(buffer, new int[] {1});
  }

  static byte op(Buffer buffer) {
    return buffer.getByte(0);
  }

  static Relay readRelay(Buffer buffer) {
    int[] at = {10};
    MessageType type = TYPES[buffer.getByte(1)];
    long order = buffer.getLong(2);
    String from = readString(buffer, at);
    String dst = readString(buffer, at);
    return new Relay(from, type, dst, readBytes(buffer, at), order);
  }

  static Collect readCollect(Buffer buffer) {
    int[] at = {1};
    return new Collect(readString(buffer, at), readString(buffer, at));
  }

  static Sent readSent(Buffer buffer) {
    int[] at = {1};
    return new Sent(readString(buffer, at), readString(buffer, at), readBytes(buffer, at));
  }

  static Buffer queued(List<OfflineMailbox.Pending> pending) {
    Buffer buffer = Buffer.buffer().appendInt(pending.size());
    for (OfflineMailbox.Pending p : pending) {
      buffer.appendLong(p.order());
      appendString(buffer, p.sender());
      buffer.appendInt(p.message().length).appendBytes(p.message());
    }
    return buffer;
  }

  static List<OfflineMailbox.Pending> readQueued(Buffer buffer) {
    int count = buffer.getInt(0);
    int[] at = {4};
    List<OfflineMailbox.Pending> pending = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long order = buffer.getLong(at[0]);
      at[0] += 8;
      String sender = readString(buffer, at);
      pending.add(new OfflineMailbox.Pending(sender, readBytes(buffer, at), order));
    }
    return pending;
  }

  private static void appendString(Buffer buffer, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] at) {
    return new String(readBytes(buffer, at), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    byte[] bytes = buffer.getBytes(at[0] + 4, at[0] + 4 + length);
    at[0] += 4 + length;
    return bytes;
  }
}

package dev.switchboard.cluster;

import dev.switchboard.protocol.CloseReason;
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
 *   <li>relay: {@code 'M' order:long type from dst message} — the type by its wire name, so types a
 *   node does not know (an application's, a later version's) cross nodes unchanged</li>
 *   <li>batch: {@code 'N' (length:int relay)*} — relays from one event loop to one node, in order</li>
 *   <li>collect: {@code 'C' id node} — "id connected on node: hand over its queue"; the reply is
 *   {@code count:int (order:long sender message)*}</li>
 *   <li>sent: {@code 'S' id tokenDigest message} — "peer id (with a token of this digest) sent this frame
 *   to another node"; the reply is one byte, {@link #TAKEN} or {@link #NOT_HELD}</li>
 *   <li>goodbye: {@code 'G' node} — "node leaves the cluster gracefully"; the reply is empty</li>
 *   <li>end: {@code 'E' id reason} — "end your peer id", the {@link dev.switchboard.protocol.CloseReason}
 *   by name</li>
 * </ul>
 * Before types went by name a relay was {@code 'R'} with the type's position in an enum and a batch
 * {@code 'B'}: a node that still speaks those logs the new codes as unknown rather than misread them.
 * Strings and byte arrays are written as a length (int) and their bytes.
 */
final class ClusterFrame {
  static final byte RELAY = 'M';
  static final byte BATCH = 'N';
  static final byte COLLECT = 'C';
  static final byte SENT = 'S';
  static final byte GOODBYE = 'G';
  static final byte END = 'E';
  /** Reply to {@link #SENT}: the holder routed the frame. */
  static final byte TAKEN = 1;
  /** Reply to {@link #SENT}: the holder has no such peer with that token (any more). */
  static final byte NOT_HELD = 0;

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

  /** An end request, decoded. */
  record End(String id, CloseReason reason) {
  }

  static Buffer relay(String from, MessageType type, String dst, byte[] message, long order) {
    Buffer buffer = Buffer.buffer(message.length + type.wire().length() + from.length() + dst.length() + 32)
        .appendByte(RELAY).appendLong(order);
    appendString(buffer, type.wire());
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

  static Buffer end(String id, CloseReason reason) {
    Buffer buffer = Buffer.buffer().appendByte(END);
    appendString(buffer, id);
    appendString(buffer, reason.name());
    return buffer;
  }

  static End readEnd(Buffer buffer) {
    int[] at = {1};
    String id = readString(buffer, at);
    String reason = readString(buffer, at);
    try {
      return new End(id, CloseReason.valueOf(reason));
    } catch (IllegalArgumentException e) {
      // A reason a newer node has and this one does not: the peer is still ended, as asked.
      return new End(id, CloseReason.INTERNAL_ERROR);
    }
  }

  static byte op(Buffer buffer) {
    return buffer.getByte(0);
  }

  static Relay readRelay(Buffer buffer) {
    int[] at = {9};
    long order = buffer.getLong(1);
    MessageType type = MessageType.of(readString(buffer, at));
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

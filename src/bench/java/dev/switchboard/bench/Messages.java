package dev.switchboard.bench;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Signalling frames as PeerJS writes them (compact JSON, {@code type, dst, payload}), padded with SDP
 * lines to a realistic size, carrying a send timestamp at a fixed place in the payload. Both servers
 * keep the client's member order, so the stamp is at the same offset in what the receiver gets.
 */
final class Messages {
  private static final byte[] MARK = "\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGITS = 15;
  static final long EPOCH = System.nanoTime();

  private final byte[] template;
  private final int stampAt;

  private Messages(byte[] template, int stampAt) {
    this.template = template;
    this.stampAt = stampAt;
  }

  /** A frame of type {@code type} to {@code dst}, {@code size} bytes long (at least the bare message). */
  static Messages of(String type, String dst, int size) {
    String sdpType = type.equals("ANSWER") ? "answer" : "offer";
    String head = "{\"type\":\"" + type + "\",\"dst\":\"" + dst + "\",\"payload\":{\"ts\":\"" + "0".repeat(DIGITS)
        + "\",\"type\":\"media\",\"connectionId\":\"mc_bench0123456789\",\"sdp\":{\"type\":\"" + sdpType
        + "\",\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";
    String tail = "\"}}}";
    StringBuilder json = new StringBuilder(head);
    String line = "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\\r\\n";
    while (json.length() + tail.length() < size) {
      int room = size - tail.length() - json.length();
      json.append(room >= line.length() ? line : "x".repeat(room));
    }
    json.append(tail);
    byte[] bytes = json.toString().getBytes(StandardCharsets.US_ASCII);
    return new Messages(bytes, head.indexOf("\"ts\":\"") + MARK.length);
  }

  /** A fresh copy of the frame stamped with {@code nanos} (a {@link System#nanoTime()}). */
  byte[] stamped(long nanos) {
    byte[] out = template.clone();
    long v = nanos - EPOCH;
    for (int i = stampAt + DIGITS - 1; i >= stampAt; i--) {
      out[i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    return out;
  }

  int length() {
    return template.length;
  }

  /** The stamp in a received frame, as a {@link System#nanoTime()}; -1 when it has none. */
  static long stampOf(Buffer frame, int hint) {
    int at = hasMarkBefore(frame, hint) ? hint : find(frame);
    if (at < 0 || at + DIGITS > frame.length()) {
      return -1;
    }
    long v = 0;
    for (int i = at; i < at + DIGITS; i++) {
      v = v * 10 + (frame.getByte(i) - '0');
    }
    return v + EPOCH;
  }

  int stampOffset() {
    return stampAt;
  }

  private static boolean hasMarkBefore(Buffer frame, int at) {
    if (at < MARK.length || at + DIGITS > frame.length()) {
      return false;
    }
    for (int i = 0; i < MARK.length; i++) {
      if (frame.getByte(at - MARK.length + i) != MARK[i]) {
        return false;
      }
    }
    return true;
  }

  private static int find(Buffer frame) {
    outer:
    for (int i = 0; i + MARK.length <= frame.length(); i++) {
      for (int j = 0; j < MARK.length; j++) {
        if (frame.getByte(i + j) != MARK[j]) {
          continue outer;
        }
      }
      return i + MARK.length;
    }
    return -1;
  }
}

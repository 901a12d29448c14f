package dev.switchboard.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629, Unicode table 3-7): no overlong forms, no UTF-16 surrogates, nothing past
 * U+10FFFF, no sequence cut short. A browser's WebSocket fails its connection on a text message that is
 * not (RFC 6455 8.1), so the broker must never hand one on.
 *
 * <p>Signalling text is almost all ASCII (SDP, ids, JSON syntax), so runs of ASCII are skipped eight
 * bytes at a time; a 6 KB offer is checked in well under a microsecond.
 */
public final class Utf8Validator {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Validator() {
  }

  /** Whether {@code bytes} are well-formed UTF-8 throughout. */
  public static boolean isValid(byte[] bytes) {
    int i = 0;
    int end = bytes.length;
    while (i < end) {
      while (i <= end - Long.BYTES && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += Long.BYTES;
      }
      if (i == end) {
        return true;
      }
      if (bytes[i] >= 0) {
        i++;
      } else {
        i = afterSequence(bytes, i, end);
        if (i < 0) {
          return false;
        }
      }
    }
    return true;
  }

  // The index after the multi-byte sequence that starts at i, or -1 if it is not well-formed. The
  // second byte's range is what excludes overlongs (E0, F0), surrogates (ED) and past U+10FFFF (F4).
  private static int afterSequence(byte[] bytes, int i, int end) {
    int lead = bytes[i] & 0xff;
    if (lead < 0xc2) {
      return -1; // a continuation byte, or C0/C1 (overlong two-byte forms)
    }
    if (lead < 0xe0) {
      return i + 1 < end && isContinuation(bytes[i + 1]) ? i + 2 : -1;
    }
    if (lead < 0xf0) {
      if (i + 2 >= end) {
        return -1;
      }
      int second = bytes[i + 1] & 0xff;
      int min = lead == 0xe0 ? 0xa0 : 0x80;
      int max = lead == 0xed ? 0x9f : 0xbf;
      return second >= min && second <= max && isContinuation(bytes[i + 2]) ? i + 3 : -1;
    }
    if (lead < 0xf5) {
      if (i + 3 >= end) {
        return -1;
      }
      int second = bytes[i + 1] & 0xff;
      int min = lead == 0xf0 ? 0x90 : 0x80;
      int max = lead == 0xf4 ? 0x8f : 0xbf;
      return second >= min && second <= max && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])
          ? i + 4 : -1;
    }
    return -1;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xc0) == 0x80;
  }
}

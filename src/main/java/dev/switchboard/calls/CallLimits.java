package dev.switchboard.calls;

import dev.switchboard.config.SwitchboardOptions;

import static dev.switchboard.calls.CallSettings.MAX_CALLS;
import static dev.switchboard.calls.CallSettings.MAX_CALLS_PER_PEER;
import static dev.switchboard.calls.CallSettings.MAX_CALL_DURATION;
import static dev.switchboard.calls.CallSettings.MAX_CALL_METADATA;

/**
 * The bounds of the call broker (docs/calls.md, "Limits").
 *
 * @param maxPerPeer most calls (ringing or active) one peer may be a party of
 * @param maxCalls most calls one node keeps as their home
 * @param maxDurationMs a call ends this long after its invite
 * @param maxMetadataBytes largest serialized {@code metadata} (and, separately, {@code media})
 * @param signallingTimeoutMs how long after the accept an OFFER or ANSWER between the parties must pass
 */
public record CallLimits(int maxPerPeer, int maxCalls, long maxDurationMs, int maxMetadataBytes, long signallingTimeoutMs) {
  /** Ring time when the invite names none (matrix-js-sdk rings 60 s). */
  public static final long DEFAULT_RING_MS = 60_000;
  public static final long MIN_RING_MS = 5_000;
  public static final long MAX_RING_MS = 180_000;
  public static final long SIGNALLING_TIMEOUT_MS = 30_000;
  /** A callId: 1 to 64 of these characters. */
  public static final String CALL_ID_PATTERN = "[A-Za-z0-9._:-]{1,64}";
  /** Longest {@code to} (a user id). */
  public static final int MAX_USER_LENGTH = 256;

  public static CallLimits of(SwitchboardOptions options) {
    return new CallLimits(options.get(MAX_CALLS_PER_PEER), options.get(MAX_CALLS), options.get(MAX_CALL_DURATION),
        options.get(MAX_CALL_METADATA), SIGNALLING_TIMEOUT_MS);
  }

  /** The ring time for an invite's {@code ringMs}, clamped to 5 000–180 000 ms. */
  static long ringMs(Long asked) {
    return asked == null ? DEFAULT_RING_MS : Math.max(MIN_RING_MS, Math.min(MAX_RING_MS, asked));
  }
}

package dev.switchboard.calls;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Reads and checks the payloads of the client's CALL-* frames; a bad one is a {@link CallError}. */
final class CallRequests {
  /** The reasons a CALL-REJECT may give. */
  static final Set<String> REJECT_REASONS = Set.of("declined", "busy");
  /** Longest {@code reason} of a CALL-HANGUP, passed on as {@code detail}. */
  static final int MAX_DETAIL = 64;

  private CallRequests() {
  }

  /** A checked CALL-INVITE. */
  record Invite(String callId, String to, Object media, long ringMs, Object metadata) {
  }

  static Invite invite(JsonObject payload, CallLimits limits) {
    JsonObject p = required(payload, null);
    String callId = optionalCallId(p);
    Object to = p.getValue("to");
    if (!(to instanceof String user) || user.isEmpty() || user.length() > CallLimits.MAX_USER_LENGTH) {
      throw new CallError(CallError.INVALID, callId, "to must be a user id of 1 to " + CallLimits.MAX_USER_LENGTH + " characters");
    }
    Object ring = p.getValue("ringMs");
    if (ring != null && !(ring instanceof Integer || ring instanceof Long)) {
      throw new CallError(CallError.INVALID, callId, "ringMs must be a whole number of milliseconds");
    }
    Object media = p.getValue("media");
    Object metadata = p.getValue("metadata");
    checkSize("media", media, limits.maxMetadataBytes(), callId);
    checkSize("metadata", metadata, limits.maxMetadataBytes(), callId);
    return new Invite(callId, user, media, CallLimits.ringMs(ring == null ? null : ((Number) ring).longValue()), metadata);
  }

  /** The {@code callId} every other CALL-* frame must name. */
  static String callId(JsonObject payload) {
    String callId = optionalCallId(required(payload, null));
    if (callId == null) {
      throw new CallError(CallError.INVALID, null, "callId missing");
    }
    return callId;
  }

  static String rejectReason(JsonObject payload, String callId) {
    Object reason = payload.getValue("reason");
    if (!(reason instanceof String r) || !REJECT_REASONS.contains(r)) {
      throw new CallError(CallError.INVALID, callId, "reason must be \"declined\" or \"busy\"");
    }
    return r;
  }

  /** A CALL-HANGUP's optional reason, a short token passed on to the other party as {@code detail}. */
  static String hangupDetail(JsonObject payload, String callId) {
    Object reason = payload.getValue("reason");
    if (reason == null) {
      return null;
    }
    if (!(reason instanceof String r) || !r.matches("[A-Za-z0-9_.-]{1," + MAX_DETAIL + "}")) {
      throw new CallError(CallError.INVALID, callId, "reason must be 1 to " + MAX_DETAIL
          + " letters, digits, '_', '.' or '-'");
    }
    return r;
  }

  private static JsonObject required(JsonObject payload, String callId) {
    if (payload == null) {
      throw new CallError(CallError.INVALID, callId, "payload must be an object");
    }
    return payload;
  }

  private static String optionalCallId(JsonObject p) {
    Object value = p.getValue("callId");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String id) || !id.matches(CallLimits.CALL_ID_PATTERN)) {
      throw new CallError(CallError.INVALID, null, "callId must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
    }
    return id;
  }

  private static void checkSize(String name, Object value, int max, String callId) {
    if (value != null && Json.encode(value).getBytes(StandardCharsets.UTF_8).length > max) {
      throw new CallError(CallError.INVALID, callId, name + " is larger than " + max + " bytes");
    }
  }
}

package dev.switchboard.admin;

import io.vertx.core.json.JsonObject;

/**
 * A user the application banned.
 *
 * @param user the banned user id (the peer id without auth)
 * @param untilMs when the ban ends (epoch ms), 0 for never
 * @param reason why, for the application's own records (at most {@link #MAX_REASON} characters), or null
 * @param createdAt when it was set (epoch ms)
 */
public record Ban(String user, long untilMs, String reason, long createdAt) {
  public static final int MAX_REASON = 256;

  /** Whether the ban still holds at {@code now}. */
  public boolean holdsAt(long now) {
    return untilMs == 0 || untilMs > now;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("user", user).put("untilMs", untilMs == 0 ? null : untilMs)
        .put("createdAt", createdAt);
    return reason == null ? json : json.put("reason", reason);
  }

  static Ban fromJson(JsonObject json) {
    Long until = json.getLong("untilMs");
    return new Ban(json.getString("user"), until == null ? 0 : until, json.getString("reason"),
        json.getLong("createdAt", 0L));
  }
}

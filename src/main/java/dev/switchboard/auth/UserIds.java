package dev.switchboard.auth;

/** Reads a user id from a claim or JSON field: a non-empty string, or a whole number (ids like 42). */
final class UserIds {
  private UserIds() {
  }

  /** The user id {@code value} holds, or {@code null} if it holds none. */
  static String of(Object value) {
    if (value instanceof String text) {
      return text.isEmpty() ? null : text;
    }
    if (value instanceof Integer || value instanceof Long) {
      return value.toString();
    }
    return null;
  }
}

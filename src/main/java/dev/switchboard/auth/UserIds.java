package dev.switchboard.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a user id from a claim or JSON field: a non-empty string, or a whole number (ids like 42). */
final class UserIds {
  /** Most contacts taken from one token; the rest are ignored. */
  static final int MAX_CONTACTS = 1000;
  /** Longest user id taken as a contact. */
  static final int MAX_CONTACT_LENGTH = 256;

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

  /**
   * The contacts a claim or field lists: an array of user ids (entries that are not ids, or longer than
   * {@link #MAX_CONTACT_LENGTH}, are skipped; at most {@link #MAX_CONTACTS}); anything else lists none.
   */
  static Set<String> contacts(Object value) {
    Iterable<?> items = value instanceof io.vertx.core.json.JsonArray array ? array
        : value instanceof List<?> list ? list : List.of();
    Set<String> contacts = new LinkedHashSet<>();
    for (Object item : items) {
      String id = of(item);
      if (id != null && id.length() <= MAX_CONTACT_LENGTH) {
        contacts.add(id);
        if (contacts.size() == MAX_CONTACTS) {
          break;
        }
      }
    }
    return contacts;
  }
}

package dev.switchboard.presence;

import dev.switchboard.rooms.Rooms;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who may see whose presence (docs/rooms-presence.md). A watcher sees user U only if U is the watcher's
 * own user, shares a room with it, is one of its contacts (from its token or session), or
 * {@code --allow_discovery} is on. Everyone else is left out of every answer, exactly as a user that does
 * not exist: an offline user and an unknown one look the same.
 */
final class PresenceScope {
  private final boolean allowDiscovery;
  private final Rooms rooms;

  PresenceScope(boolean allowDiscovery, Rooms rooms) {
    this.allowDiscovery = allowDiscovery;
    this.rooms = rooms;
  }

  /** Whether a watcher of user {@code watcher} with {@code contacts} may see {@code target}. */
  boolean visible(String watcher, Set<String> contacts, String target) {
    return allowDiscovery || target.equals(watcher) || contacts.contains(target)
        || rooms.roomMatesOf(watcher).contains(target);
  }

  /** Whether everyone may see everyone. */
  boolean everyone() {
    return allowDiscovery;
  }

  /** The users {@code watcher} may see, when not {@link #everyone()}: itself, its contacts, its room mates. */
  Set<String> visibleUsers(String watcher, Set<String> contacts) {
    Set<String> users = new LinkedHashSet<>();
    users.add(watcher);
    users.addAll(contacts);
    users.addAll(rooms.roomMatesOf(watcher));
    return users;
  }

  /** The users sharing a room with {@code user}. */
  Set<String> roomMatesOf(String user) {
    return rooms.roomMatesOf(user);
  }
}

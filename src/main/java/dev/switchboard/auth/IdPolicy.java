package dev.switchboard.auth;

import java.security.SecureRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which peer ids a verified user may take ({@code --id_policy}). The takeover rule compares users, not
 * ids, so an id squatted under another user's name is refused with ID-TAKEN, never taken over.
 */
public enum IdPolicy {

  /** Auth none: any id, PeerServer's rules. */
  ANY {
    @Override
    public boolean permits(String userId, String peerId) {
      return true;
    }
  },

  /** The peer id is the user id. */
  EXACT {
    @Override
    public boolean permits(String userId, String peerId) {
      return userId.equals(peerId);
    }
  },

  /**
   * The user id, or the user id, one of PeerJS's separators ({@code -}, {@code _} or a space) and a
   * device name of letters and digits: {@code alice}, {@code alice-phone}, {@code alice_tv}. One user
   * may so hold several ids at once; the device name has no separators of its own, so {@code alice}
   * cannot take {@code alice-phone-2}.
   */
  DEVICE {
    @Override
    public boolean permits(String userId, String peerId) {
      if (peerId.equals(userId)) {
        return true;
      }
      return peerId.length() > userId.length() + 1 && peerId.startsWith(userId)
          && SEPARATORS.indexOf(peerId.charAt(userId.length())) >= 0
          && DEVICE_NAME.matcher(peerId).region(userId.length() + 1, peerId.length()).matches();
    }

    // Two tabs calling /id must not clobber each other: each gets a fresh device id.
    @Override
    public String idFor(String userId, Predicate<String> taken) {
      String id;
      do {
        id = userId + "-" + randomDeviceName();
      } while (taken.test(id));
      return id;
    }
  };

  private static final String SEPARATORS = "-_ ";
  private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9]+");
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The policy named by the {@code id_policy} option. */
  public static IdPolicy named(String name) {
    switch (name) {
      case "exact": return EXACT;
      case "device": return DEVICE;
      default: throw new IllegalArgumentException("Invalid id_policy: " + name);
    }
  }

  /** Whether {@code userId} may connect as {@code peerId}. */
  public abstract boolean permits(String userId, String peerId);

  /** The id {@code GET /{key}/id} hands to {@code userId}; {@code taken} tells which ids are in use. */
  public String idFor(String userId, Predicate<String> taken) {
    return userId;
  }

  private static String randomDeviceName() {
    char[] name = new char[8];
    for (int i = 0; i < name.length; i++) {
      name[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(name);
  }
}

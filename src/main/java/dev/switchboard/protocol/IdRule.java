package dev.switchboard.protocol;

import java.util.regex.Pattern;

/**
 * Which peer ids are acceptable: PeerJS's own client-side rule (letters and digits, single spaces,
 * underscores or dashes between them) and a maximum length.
 */
public final class IdRule {
  private static final Pattern PEERJS_ID = Pattern.compile("^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$");

  private final int maxLength;

  public IdRule(int maxLength) {
    this.maxLength = maxLength;
  }

  public boolean isValid(String id) {
    return id != null && !id.isEmpty() && id.length() <= maxLength && PEERJS_ID.matcher(id).matches();
  }

  public int maxLength() {
    return maxLength;
  }
}

package dev.switchboard.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/**
 * What the cluster-wide registry keeps for one id: the node holding it, the connection on that node,
 * a digest of the token (tokens never leave the node they arrived on), when the claim was admitted
 * (wall-clock milliseconds on the admitting node, for the merge after a split) and the verified user,
 * if any, so the takeover rule can be applied across nodes. Stored as one string
 * {@code node|connection|digest|claimedAt|user}, so Hazelcast compares and queries it without our
 * classes, and a conditional remove or replace only ever matches the exact connection it was written
 * for. The user comes last because it is the one field that may itself contain the separator.
 */
record PeerRecord(String node, String connection, String tokenDigest, long claimedAt, String userId) {
  private static final char SEPARATOR = '|';

  static PeerRecord of(String node, String token, String userId, long claimedAt) {
    return new PeerRecord(node, UUID.randomUUID().toString(), digest(token), claimedAt, userId);
  }

  static PeerRecord parse(String encoded) {
    int first = encoded.indexOf(SEPARATOR);
    int second = encoded.indexOf(SEPARATOR, first + 1);
    int third = encoded.indexOf(SEPARATOR, second + 1);
    int fourth = encoded.indexOf(SEPARATOR, third + 1);
    String user = encoded.substring(fourth + 1);
    return new PeerRecord(encoded.substring(0, first), encoded.substring(first + 1, second),
        encoded.substring(second + 1, third), Long.parseLong(encoded.substring(third + 1, fourth)),
        user.isEmpty() ? null : user);
  }

  String encode() {
    return node + SEPARATOR + connection + SEPARATOR + tokenDigest + SEPARATOR + claimedAt + SEPARATOR
        + (userId == null ? "" : userId);
  }

  /**
   * Of two records for one id that met in a split-brain merge, the one to keep: the later claim (the
   * side that held the quorum admitted it after it lost sight of the other side, whose records are all
   * older), ties broken by the encoded text so that every member picks the same.
   */
  static String newerOf(String a, String b) {
    long claimedA = parse(a).claimedAt();
    long claimedB = parse(b).claimedAt();
    if (claimedA != claimedB) {
      return claimedA > claimedB ? a : b;
    }
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** A Hazelcast {@code like} pattern matching every record of {@code node}. */
  static String ofNodePattern(String node) {
    return node + SEPARATOR + "%";
  }

  static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}

package dev.switchboard.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;

/**
 * What the cluster-wide registry keeps for one id: the node holding it, the connection on that node,
 * a digest of the token (tokens never leave the node they arrived on) and the verified user, if any,
 * so the takeover rule can be applied across nodes. Stored as one string
 * {@code node|connection|digest|user}, so Hazelcast compares and queries it without our classes, and a
 * conditional remove or replace only ever matches the exact connection it was written for. The user
 * comes last because it is the one field that may itself contain the separator.
 */
record PeerRecord(String node, String connection, String tokenDigest, String userId) {
  private static final char SEPARATOR = '|';

  static PeerRecord of(String node, String token, String userId) {
    return new PeerRecord(node, UUID.randomUUID().toString(), digest(token), userId);
  }

  static PeerRecord parse(String encoded) {
    int first = encoded.indexOf(SEPARATOR);
    int second = encoded.indexOf(SEPARATOR, first + 1);
    int third = encoded.indexOf(SEPARATOR, second + 1);
    String user = encoded.substring(third + 1);
    return new PeerRecord(encoded.substring(0, first), encoded.substring(first + 1, second),
        encoded.substring(second + 1, third), user.isEmpty() ? null : user);
  }

  String encode() {
    return node + SEPARATOR + connection + SEPARATOR + tokenDigest + SEPARATOR + (userId == null ? "" : userId);
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

package dev.switchboard.cluster;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.PeerLink;

/**
 * A peer as the registry knows it, for the {@link dev.switchboard.routing.TakeoverRule} when holder
 * and claimant are on different nodes: its token is the token's digest, which the rule compares like a
 * token. It carries nothing; only its node can reach the connection.
 */
final class RegisteredPeer implements PeerLink {
  private final String id;
  private final PeerRecord record;

  RegisteredPeer(String id, PeerRecord record) {
    this.id = id;
    this.record = record;
  }

  @Override public String id() { return id; }
  @Override public String token() { return record.tokenDigest(); }
  @Override public String userId() { return record.userId(); }
  @Override public String transport() { return "cluster"; }
  @Override public String remoteAddress() { return "node " + record.node(); }
  @Override public byte[] srcMember() { return null; }
  @Override public boolean send(byte[] message) { return false; }
  @Override public void close(CloseReason reason) { }
  @Override public boolean isClosed() { return false; }
  @Override public long lastSeen() { return 0; }
  @Override public void touch(long now) { }
  @Override public boolean isReady() { return false; }
  @Override public void markReady() { }

  @Override
  public String toString() {
    return "peer " + id + " on node " + record.node();
  }
}

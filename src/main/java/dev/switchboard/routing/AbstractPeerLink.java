package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.FrameCodec;

import java.util.concurrent.atomic.AtomicBoolean;

/** State every transport's link shares: identity, liveness, readiness and close-once. */
public abstract class AbstractPeerLink implements PeerLink {
  private final String id;
  private final String token;
  private final String remoteAddress;
  private final byte[] srcMember;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String userId;
  private volatile java.util.Set<String> contacts = java.util.Set.of();
  private volatile io.vertx.core.json.JsonObject claims;
  private volatile long lastSeen;
  private volatile boolean ready;

  protected AbstractPeerLink(String id, String token, String remoteAddress, long now) {
    this.id = id;
    this.token = token;
    this.remoteAddress = remoteAddress;
    this.srcMember = FrameCodec.srcMember(id);
    this.lastSeen = now;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String userId() {
    return userId;
  }

  /**
   * Records the verified user, before the link is claimed in the directory (the takeover rule reads
   * it). Only the first non-null value counts: an identity is never changed once bound.
   */
  public final void bindUser(String user) {
    if (this.userId == null) {
      this.userId = user;
    }
  }

  @Override
  public java.util.Set<String> contacts() {
    return contacts;
  }

  /** Records the verified user's contacts (presence scope), with {@link #bindUser}; never changed after. */
  public final void bindContacts(java.util.Set<String> verified) {
    if (contacts.isEmpty() && verified != null) {
      contacts = java.util.Set.copyOf(verified);
    }
  }

  @Override
  public io.vertx.core.json.JsonObject claims() {
    return claims;
  }

  /** Records the verified token's claims along with the user ({@link #bindUser}); only the first non-null counts. */
  public final void bindClaims(io.vertx.core.json.JsonObject verified) {
    if (this.claims == null) {
      this.claims = verified;
    }
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public byte[] srcMember() {
    return srcMember;
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public final void close(CloseReason reason) {
    if (closed.compareAndSet(false, true)) {
      doClose(reason);
    }
  }

  /** Marks the link closed without acting on the transport (it is already gone); true the first time. */
  protected final boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Sends the notice and ends the transport; called once. */
  protected abstract void doClose(CloseReason reason);

  @Override
  public long lastSeen() {
    return lastSeen;
  }

  @Override
  public void touch(long now) {
    lastSeen = now;
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void markReady() {
    ready = true;
  }

  @Override
  public String toString() {
    return transport() + " peer " + id + " from " + remoteAddress;
  }
}

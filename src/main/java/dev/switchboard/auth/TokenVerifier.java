package dev.switchboard.auth;

import io.vertx.core.Future;

/**
 * Proves who a token belongs to: one implementation per {@code --auth} mode. A refused or unverifiable
 * token fails the future with an {@link AuthFailure}; nothing is ever accepted by default.
 */
@FunctionalInterface
public interface TokenVerifier {

  /** Auth none: every token is accepted, for nobody in particular (PeerServer's rules). */
  TokenVerifier NONE = credentials -> Future.succeededFuture(Identity.ANONYMOUS);

  /**
   * Verifies {@code credentials}. May be called from any thread; the future completes on the caller's
   * Vert.x context when it has one.
   */
  Future<Identity> verify(Credentials credentials);

  /** Releases clients and timers. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}

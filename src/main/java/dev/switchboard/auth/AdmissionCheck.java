package dev.switchboard.auth;

import dev.switchboard.protocol.CloseReason;

/**
 * A rule every connecting peer must pass once its token was verified, before it claims its id (the
 * admin API's bans). Called on an event loop for every connection: it must be quick and never block.
 */
@FunctionalInterface
public interface AdmissionCheck {

  /**
   * @param peerId the id the peer asks for
   * @param userId its verified user, or {@code null} without auth
   * @return why it is refused, or {@code null} to let it in
   */
  CloseReason refuse(String peerId, String userId);
}

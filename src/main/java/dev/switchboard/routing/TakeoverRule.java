package dev.switchboard.routing;

import java.util.Objects;

/**
 * Whether a new connection may take an id that a live connection holds. The one place that rule is
 * written down; the directory asks it while it holds the id's entry.
 */
@FunctionalInterface
public interface TakeoverRule {

  /**
   * {@code on_duplicate reject}, PeerServer's rule: the same token proves the same client reconnecting
   * (the old socket is half-dead or superseded); another token is someone else, who gets ID-TAKEN. With
   * auth on, the verified user must match as well, so a leaked PeerJS token alone takes nothing.
   */
  TakeoverRule SAME_TOKEN = (holder, claimant) ->
      holder.token().equals(claimant.token()) && Objects.equals(holder.userId(), claimant.userId());

  /**
   * {@code on_duplicate takeover} (auth on only): a verified connection of the same user replaces the
   * holder, whatever its token, so a refreshed page gets OPEN instead of "ID is taken" (PeerJS #224,
   * #294, #116). Another user still gets ID-TAKEN; without a verified user nothing is replaced.
   */
  TakeoverRule SAME_USER = (holder, claimant) ->
      holder.userId() != null && holder.userId().equals(claimant.userId());

  boolean mayReplace(PeerLink holder, PeerLink claimant);

  /** The rule for the {@code on_duplicate} option: {@code reject} or {@code takeover}. */
  static TakeoverRule forOnDuplicate(String onDuplicate) {
    switch (onDuplicate) {
      case "reject": return SAME_TOKEN;
      case "takeover": return SAME_USER;
      default: throw new IllegalArgumentException("Invalid on_duplicate: " + onDuplicate);
    }
  }
}

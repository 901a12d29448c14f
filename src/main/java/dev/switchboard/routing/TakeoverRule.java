package dev.switchboard.routing;

/**
 * Whether a new connection may take an id that a live connection holds. The one place that rule is
 * written down; the directory asks it while it holds the id's entry.
 */
@FunctionalInterface
public interface TakeoverRule {

  /**
   * PeerServer's rule: the same token proves the same client reconnecting (the old socket is
   * half-dead or superseded); another token is someone else, who gets ID-TAKEN.
   */
  TakeoverRule SAME_TOKEN = (holder, claimant) -> holder.token().equals(claimant.token());

  boolean mayReplace(PeerLink holder, PeerLink claimant);
}

package dev.switchboard.cluster;

import java.util.concurrent.ConcurrentHashMap;

/**
 * "This id just connected on that node", heard from the node itself ahead of the registry's map event:
 * relays for the id go there at once, since events from before the move may still be on their way. The
 * next event that names that node for the id, or a few seconds, end the redirect. Read on the relay path:
 * never blocks, and costs one emptiness check while nothing moves.
 */
final class Redirects {
  /** How long a redirect stands if no map event about its node confirms or ends it first. */
  private static final long REDIRECT_MS = 5_000;

  private record Redirect(String node, long until) {
  }

  private final ConcurrentHashMap<String, Redirect> redirects = new ConcurrentHashMap<>();

  /** The node {@code id} moved to, while that is newer than what the registry's events said; else null. */
  String nodeOf(String id) {
    if (redirects.isEmpty()) {
      return null;
    }
    Redirect redirect = redirects.get(id);
    if (redirect == null) {
      return null;
    }
    if (System.currentTimeMillis() < redirect.until()) {
      return redirect.node();
    }
    redirects.remove(id, redirect);
    return null;
  }

  /** {@code id} connected on {@code node}, as that node told us. */
  void moved(String id, String node) {
    redirects.put(id, new Redirect(node, System.currentTimeMillis() + REDIRECT_MS));
  }

  /** A registry event placed {@code id} on {@code node}: a redirect there has done its work. */
  void settled(String id, String node) {
    Redirect redirect = redirects.get(id);
    if (redirect != null && redirect.node().equals(node)) {
      redirects.remove(id, redirect);
    }
  }

  /** {@code node} left the cluster: nothing is redirected to it any more. */
  void forgetNode(String node) {
    redirects.values().removeIf(redirect -> redirect.node().equals(node));
  }
}

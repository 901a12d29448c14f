package dev.switchboard.presence;

/** What presence reports for metrics (docs/deploy.md); the core never imports Micrometer. */
public interface PresenceMetrics {
  PresenceMetrics NONE = new PresenceMetrics() {
  };

  /** {@code users} user entries were pushed to one watcher in one PRESENCE frame (snapshots not counted). */
  default void presencePushed(int users) {
  }

  /** The number of this node's peers with a non-empty watch list changed by {@code delta}. */
  default void presenceWatchers(int delta) {
  }
}

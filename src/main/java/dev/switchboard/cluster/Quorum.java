package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether this side of a possibly split cluster may admit new claims (split-brain protection, in the
 * spirit of RabbitMQ's {@code pause_minority}). The rule, evaluated on the members this node sees now:
 * <ul>
 *   <li>{@code expected} (N) is the configured cluster size, raised to the largest membership seen and
 *   lowered by one for each node that left gracefully (it said goodbye first). A node that vanished
 *   without a goodbye (crashed, or cut off) stays counted.</li>
 *   <li>A view of more than N/2 nodes holds the quorum.</li>
 *   <li>A view of exactly N/2 (N even, e.g. a two-node cluster cut in two) holds it only if it contains
 *   the senior node: the oldest member of the last view that held the quorum, which both halves
 *   remember alike. So at most one half claims; if the senior died, neither does.</li>
 * </ul>
 * Two sides of one split cannot both hold the quorum: their views are disjoint, so both could only
 * exceed N/2 if N were wrong, and at exactly N/2 only the senior's side counts. A goodbye is heard only
 * on the leaver's side; it lowers both that side's count and its N by one, which keeps the argument.
 */
final class Quorum {
  private int expected;
  /** The last view that held the quorum, oldest member first; its first member is the senior. */
  private List<String> lastQuorumView = List.of();
  private final Set<String> departed = new HashSet<>();
  private boolean holds;

  /** @param configured the configured cluster size (at least 1) */
  Quorum(int configured) {
    this.expected = Math.max(1, configured);
  }

  /** Takes in the members seen now (oldest first); answers whether this side holds the quorum. */
  synchronized boolean update(List<String> view) {
    List<String> counted = new ArrayList<>(view);
    counted.removeAll(departed);
    expected = Math.max(expected, counted.size());
    boolean tie = 2 * counted.size() == expected;
    holds = 2 * counted.size() > expected
        || tie && !lastQuorumView.isEmpty() && counted.contains(lastQuorumView.get(0));
    if (holds) {
      lastQuorumView = List.copyOf(counted);
    }
    return holds;
  }

  /** A node said goodbye before leaving: it no longer counts, and seniority passes to the next oldest. */
  synchronized boolean departed(String node, List<String> view) {
    if (departed.add(node)) {
      expected = Math.max(1, expected - 1);
      List<String> remaining = new ArrayList<>(lastQuorumView);
      remaining.remove(node);
      lastQuorumView = List.copyOf(remaining);
    }
    return update(view);
  }

  synchronized boolean holds() {
    return holds;
  }

  /** For logs: the counts behind the last answer. */
  synchronized String describe(List<String> view) {
    return view.size() + " of " + expected + " expected nodes"
        + (lastQuorumView.isEmpty() ? "" : ", senior " + lastQuorumView.get(0));
  }
}

package dev.switchboard.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;

import java.util.ArrayList;
import java.util.List;

/**
 * How the cluster names its nodes: by the Vert.x node id, which vertx-hazelcast keeps as the member
 * attribute {@value #NODE_ID_ATTRIBUTE} and which survives a split-brain merge (vertx-hazelcast #90),
 * unlike the Hazelcast member UUID, which a merging member gives up for a new one. Ownership records,
 * node bus addresses and membership handling all use it.
 */
final class Members {
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private Members() {
  }

  /** The node id of {@code member}, or {@code null} for a member that is no Vert.x node. */
  static String nodeIdOf(Member member) {
    return member.getAttribute(NODE_ID_ATTRIBUTE);
  }

  /** The node ids of the members this node sees now, oldest member first (Hazelcast's order). */
  static List<String> view(HazelcastInstance hazelcast) {
    List<String> view = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String node = nodeIdOf(member);
      if (node != null) {
        view.add(node);
      }
    }
    return view;
  }
}

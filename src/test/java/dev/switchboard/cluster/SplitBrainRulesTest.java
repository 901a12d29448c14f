package dev.switchboard.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.spi.merge.MergingValue;
import dev.switchboard.config.SwitchboardOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules for a split and its heal, without a network: who may claim, and which record a merge keeps. */
class SplitBrainRulesTest {

  @Test
  void theSideWithMoreThanHalfOfTheExpectedNodesClaimsTheOtherRefuses() {
    Quorum a = new Quorum(3);
    Quorum b = new Quorum(3);
    Quorum c = new Quorum(3);
    List<String> all = List.of("A", "B", "C");
    assertTrue(a.update(all) && b.update(all) && c.update(all));
    assertFalse(a.update(List.of("A")), "one of three refuses");
    assertTrue(b.update(List.of("B", "C")), "two of three claim");
    assertTrue(c.update(List.of("B", "C")));
    assertTrue(a.update(all), "healed");
  }

  @Test
  void aNodeStartingAloneRefusesUntilEnoughConfiguredMembersJoined() {
    Quorum q = new Quorum(3);
    assertFalse(q.update(List.of("A")));
    assertTrue(q.update(List.of("A", "B")));
  }

  @Test
  void aTwoNodeClusterCutInTwoClaimsOnlyOnTheSeniorsSide() {
    Quorum a = new Quorum(2);
    Quorum b = new Quorum(2);
    assertFalse(a.update(List.of("A")), "a node alone in a cluster of two has no senior yet");
    assertTrue(a.update(List.of("A", "B")));
    assertTrue(b.update(List.of("A", "B")));
    assertTrue(a.update(List.of("A")), "the oldest member's half claims");
    assertFalse(b.update(List.of("B")), "the other half refuses");
    assertTrue(b.update(List.of("A", "B")));
  }

  @Test
  void aGracefulLeaveLowersTheCountAndPassesSeniorityOn() {
    Quorum b = new Quorum(3);
    assertTrue(b.update(List.of("A", "B", "C")));
    b.departed("A", List.of("A", "B", "C"));
    assertTrue(b.update(List.of("B", "C")));
    assertTrue(b.update(List.of("B")), "one of two expected, and the senior now that A left gracefully");
    b.departed("A", List.of("B"));
    assertTrue(b.update(List.of("B")), "a goodbye counts once");
    Quorum c = new Quorum(3);
    assertTrue(c.update(List.of("A", "B", "C")));
    assertFalse(c.update(List.of("C")), "without a goodbye, a vanished node still counts");
  }

  @Test
  void theClusterGrowsTheExpectedSizeWithIt() {
    Quorum q = new Quorum(1);
    assertTrue(q.update(List.of("A")));
    assertTrue(q.update(List.of("A", "B", "C", "D", "E")));
    assertFalse(q.update(List.of("A", "B")), "two of five refuse, though the configured size was 1");
    assertTrue(q.update(List.of("A", "B", "C")));
  }

  // Every way to cut a cluster of 1..6 nodes in two: never do both sides claim.
  @Test
  void noSplitLetsBothSidesClaim() {
    for (int n = 1; n <= 6; n++) {
      List<String> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add("N" + i);
      }
      for (int mask = 0; mask < 1 << n; mask++) {
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ((mask & 1 << i) != 0 ? left : right).add(all.get(i));
        }
        Quorum l = new Quorum(n);
        Quorum r = new Quorum(n);
        l.update(all);
        r.update(all);
        assertFalse(l.update(left) && r.update(right), () -> "both sides claim: " + left + " | " + right);
      }
    }
  }

  @Test
  void theMergeKeepsTheNewerClaimWhicheverSideMerges() {
    NewestClaimMergePolicy policy = new NewestClaimMergePolicy();
    String old = PeerRecord.of("A", "t1", null, 1_000).encode();
    String newer = PeerRecord.of("B", "t2", null, 2_000).encode();
    assertEquals(newer, policy.merge(value(newer), value(old)), "a newer merging claim replaces the target's");
    assertEquals(newer, policy.merge(value(old), value(newer)), "an older merging claim loses to the target's");
    assertEquals(old, policy.merge(value(old), null), "a record only the merging side has is kept");
    assertEquals(old, policy.merge(null, value(old)));
    assertNull(policy.merge(null, null));
    String sameTime = PeerRecord.of("C", "t3", null, 2_000).encode();
    assertEquals(policy.merge(value(sameTime), value(newer)), policy.merge(value(newer), value(sameTime)),
        "a tie is broken the same way on every member");
  }

  @Test
  void theProductSetsMergeDelaysAndThePolicyAFileMayOverride() throws Exception {
    Config config = ClusteredVertx.hazelcastConfig(new SwitchboardOptions().setCluster(true));
    assertEquals("10", config.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("5", config.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals(NewestClaimMergePolicy.class.getName(),
        config.getMapConfig(ClusteredPeerDirectory.MAP).getMergePolicyConfig().getPolicy());
  }

  private static MergingValue<Object> value(String record) {
    return new MergingValue<>() {
      @Override
      public Object getDeserializedValue() {
        return record;
      }

      @Override
      public Object getRawValue() {
        return record;
      }
    };
  }
}

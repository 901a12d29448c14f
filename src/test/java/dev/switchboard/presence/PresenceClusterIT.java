package dev.switchboard.presence;

import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.TestPeer;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.switchboard.presence.PresenceFrames.awaitEntry;
import static dev.switchboard.presence.PresenceFrames.entry;
import static dev.switchboard.presence.PresenceFrames.set;
import static dev.switchboard.presence.PresenceFrames.snapshot;
import static dev.switchboard.presence.PresenceFrames.watch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence across three clustered brokers (auth jwt, id_policy device, discovery on): a user's devices on
 * two nodes merged for a watcher on the third; a node killed, its devices gone after the grace.
 */
class PresenceClusterIT {
  private static final long GRACE = 1000;
  private static ClusterNodes cluster;
  private static Vertx client;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .setAllowDiscovery(true).setReconnectGrace(GRACE).set(PresenceSettings.PRESENCE_BATCH, 20L)).start(3);
    client = Vertx.vertx();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
  }

  private static TestPeer open(ClusterNodes.Node node, String id, String user) {
    TestPeer peer = TestPeer.connect(client, node.port(), id, Tokens.hs256(Tokens.SECRET, Tokens.claims(user)));
    peer.expectType("OPEN");
    return peer;
  }

  // The snapshot, or the changes after it, until the entry is as wanted (devices connect asynchronously).
  private static void awaitWatched(TestPeer watcher, String user, JsonObject wanted) {
    watch(watcher, user);
    if (!wanted.equals(snapshot(watcher).getJsonObject(user))) {
      awaitEntry(watcher, user, wanted);
    }
  }

  @Test
  void devicesOnTwoNodesMergeForAWatcherOnTheThird() {
    try (TestPeer alice = open(cluster.node(2), "alice", "alice");
         TestPeer phone = open(cluster.node(0), "bob-phone", "bob");
         TestPeer laptop = open(cluster.node(1), "bob-laptop", "bob")) {
      awaitWatched(alice, "bob", entry("online", null, 2));
      set(phone, "away", "on the train");
      awaitEntry(alice, "bob", entry("away", "on the train", 2));
      set(laptop, "dnd", null);
      awaitEntry(alice, "bob", entry("dnd", null, 2));
      set(phone, "online", null);
      awaitEntry(alice, "bob", entry("online", null, 2));
      laptop.close();
      assertEquals(1, awaitEntry(alice, "bob", entry("online", null, 1)).size(), "one change, after the grace");
      phone.close();
      awaitEntry(alice, "bob", entry("offline", null, 0));
    }
  }

  @Test
  void aKilledNodesDevicesAreGoneAfterTheGrace() {
    ClusterNodes.Node doomed = cluster.add(o -> o.setAuth("jwt").setJwtSecret(Tokens.SECRET).setIdPolicy("device")
        .setAllowDiscovery(true).setReconnectGrace(GRACE).set(PresenceSettings.PRESENCE_BATCH, 20L));
    try (TestPeer alice = open(cluster.node(0), "alice-2", "alice");
         TestPeer carolHere = open(cluster.node(1), "carol-a", "carol");
         TestPeer carolThere = open(doomed, "carol-b", "carol")) {
      awaitWatched(alice, "carol", entry("online", null, 2));
      long killed = System.nanoTime();
      HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) doomed.vertx()).clusterManager())
          .getHazelcastInstance();
      hazelcast.getLifecycleService().terminate(); // no goodbye, no migration: as a crash looks to the others
      cluster.forget(doomed);
      doomed.vertx().close();
      awaitEntry(alice, "carol", entry("online", null, 1));
      long tookMs = (System.nanoTime() - killed) / 1_000_000;
      assertTrue(tookMs >= GRACE, "removed only after the grace, took " + tookMs + " ms");
      carolHere.close();
      awaitEntry(alice, "carol", entry("offline", null, 0));
    }
  }
}

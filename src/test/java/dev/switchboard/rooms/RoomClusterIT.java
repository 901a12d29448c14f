package dev.switchboard.rooms;

import dev.switchboard.support.Await;
import dev.switchboard.support.ClusterNodes;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.rooms.RoomFrames.create;
import static dev.switchboard.rooms.RoomFrames.expect;
import static dev.switchboard.rooms.RoomFrames.expectMember;
import static dev.switchboard.rooms.RoomFrames.join;
import static dev.switchboard.rooms.RoomFrames.room;
import static dev.switchboard.rooms.RoomFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms across three clustered brokers (no auth): one atomic join cluster-wide, members on every node
 * told, listeners told on every node, and the members of a killed node taken out by the sweep.
 */
class RoomClusterIT {
  private static final long GRACE = 500;
  private static ClusterNodes cluster;
  private static Vertx client;
  private static final List<List<RoomChange>> changes = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(o -> o.setReconnectGrace(GRACE).set(RoomSettings.ROOM_MAX_CAPACITY, 4)).start(3);
    for (int i = 0; i < 3; i++) {
      List<RoomChange> seen = new CopyOnWriteArrayList<>();
      cluster.node(i).broker().rooms().addListener(seen::add);
      changes.add(seen);
    }
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

  private static TestPeer open(int node, String id) {
    return RoomFrames.open(client, cluster.node(node).port(), id);
  }

  @Test
  void racingJoinsForTheLastSeatFromThreeNodesSeatExactlyOne() throws Exception {
    for (int round = 0; round < 4; round++) {
      String roomId = "race-" + round;
      try (TestPeer holder = open(0, "holder" + round);
           TestPeer r0 = open(0, "racer" + round + "a");
           TestPeer r1 = open(1, "racer" + round + "b");
           TestPeer r2 = open(2, "racer" + round + "c")) {
        create(holder, roomId, 2);
        join(holder, roomId, 2);
        List<TestPeer> racers = List.of(r0, r1, r2);
        CompletableFuture.allOf(racers.stream()
            .map(r -> CompletableFuture.runAsync(() -> send(r, "ROOM-JOIN", room(roomId))))
            .toArray(CompletableFuture[]::new)).get();
        int joined = 0;
        int full = 0;
        String winner = null;
        for (int i = 0; i < racers.size(); i++) {
          JsonObject frame = racers.get(i).next();
          if ("ROOM-JOINED".equals(frame.getString("type"))) {
            joined++;
            winner = "racer" + round + "abc".charAt(i);
            assertEquals(List.of("holder" + round), frame.getJsonObject("payload").getJsonArray("members").getList());
          } else {
            assertEquals("ROOM-ERROR", frame.getString("type"), frame.encode());
            assertEquals("full", frame.getJsonObject("payload").getString("code"), frame.encode());
            full++;
          }
        }
        assertEquals(1, joined, "round " + round);
        assertEquals(2, full, "round " + round);
        expectMember(holder, roomId, winner, "joined");
      }
    }
  }

  @Test
  void membersOnDifferentNodesAreToldAndEveryNodesListenersHearEveryChange() {
    try (TestPeer ann = open(0, "ann");
         TestPeer ben = open(1, "ben");
         TestPeer cat = open(2, "cat")) {
      create(ann, "mixed", 3);
      join(ann, "mixed", 3);
      join(ben, "mixed", 3, "ann");
      expectMember(ann, "mixed", "ben", "joined");
      join(cat, "mixed", 3, "ann", "ben");
      expectMember(ann, "mixed", "cat", "joined");
      expectMember(ben, "mixed", "cat", "joined");
      send(ben, "ROOM-LEAVE", room("mixed"));
      expect(ben, "ROOM-LEFT");
      expectMember(ann, "mixed", "ben", "left");
      expectMember(cat, "mixed", "ben", "left");
      List<String> expected = List.of("ann:JOINED", "ben:JOINED", "cat:JOINED", "ben:LEFT");
      for (int i = 0; i < 3; i++) {
        int node = i;
        Await.until("node " + node + "'s listeners heard " + expected,
            () -> inMixed(changes.get(node)).equals(expected), 10);
        Await.until("node " + node + " knows ann's room mates",
            () -> cluster.node(node).broker().rooms().roomMatesOf("ann").equals(Set.of("cat")), 10);
      }
      // Created, three joins and a leave: every node hears each, exactly one node made it.
      Await.until("each change of the room has one origin in the cluster", () -> changes.subList(0, 3).stream()
          .mapToLong(seen -> seen.stream().filter(c -> c.roomId().equals("mixed") && c.origin()).count()).sum() == 5, 10);
    }
  }

  private static List<String> inMixed(List<RoomChange> seen) {
    return seen.stream().filter(c -> c.roomId().equals("mixed") && c.member() != null)
        .map(c -> c.member().peerId() + ":" + c.kind()).toList();
  }

  @Test
  void theMembersOfAKilledNodeLeaveTheirRoomsAfterTheGrace() {
    ClusterNodes.Node doomed = cluster.add(o -> o.setReconnectGrace(GRACE).set(RoomSettings.ROOM_MAX_CAPACITY, 4));
    try (TestPeer dan = open(0, "dan");
         TestPeer eli = open(1, "eli")) {
      TestPeer gone = RoomFrames.open(client, doomed.port(), "gone");
      create(dan, "crash", 3);
      join(dan, "crash", 3);
      join(eli, "crash", 3, "dan");
      expectMember(dan, "crash", "eli", "joined");
      join(gone, "crash", 3, "dan", "eli");
      expectMember(dan, "crash", "gone", "joined");
      expectMember(eli, "crash", "gone", "joined");
      // One backup survives a crash only once the new node's partitions have migrated (Hazelcast's rule).
      Await.until("the cluster is safe", () -> hazelcast(doomed).getPartitionService().isClusterSafe(), 30);
      long killed = System.nanoTime();
      kill(doomed);
      expectMember(dan, "crash", "gone", "left");
      expectMember(eli, "crash", "gone", "left");
      long tookMs = (System.nanoTime() - killed) / 1_000_000;
      System.out.println("a killed node's member left its room " + tookMs + " ms after the kill");
      assertTrue(tookMs >= GRACE, "left before the grace: " + tookMs);
      // Every node's view hears of the change over the event bus: the third one may be a moment later
      // than the members of the other two.
      Await.until("the third node's view without the killed node's member",
          () -> List.of("dan", "eli").equals(cluster.node(2).broker().rooms().membersOf("crash")), 5);
    }
  }

  // A crash, not a stop: the Hazelcast member vanishes without a goodbye, then its sockets close.
  private static void kill(ClusterNodes.Node node) {
    hazelcast(node).getLifecycleService().terminate();
    node.vertx().close();
  }

  private static com.hazelcast.core.HazelcastInstance hazelcast(ClusterNodes.Node node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }
}

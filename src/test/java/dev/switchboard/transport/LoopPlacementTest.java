package dev.switchboard.transport;

import dev.switchboard.Switchboard;
import dev.switchboard.config.ServerSettings;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.netty.channel.EventLoop;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connected peers are packed onto the first event loop that is not busy (so a relay between them wakes
 * no other loop), spread once it is busy, and left where they were accepted with {@code accepted}.
 */
@ExtendWith(VertxExtension.class)
class LoopPlacementTest {

  @Test
  void peersAcceptedOnEveryLoopAreServedByTheFirstAndRelayInOrder(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options()); // two loops, packing by default
    Map<String, WebSocketPeerLink> links = linksOf(broker);
    List<TestPeer> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        peers.add(TestPeer.open(vertx, broker.actualPort(), "p" + i));
      }
      Set<EventLoop> loops = new HashSet<>();
      links.values().forEach(link -> loops.add(link.channel().eventLoop()));
      assertEquals(1, loops.size(), "all six peers on one loop, though accepted on two in turn");
      for (int n = 0; n < 50; n++) {
        peers.get(1).send(new JsonObject().put("type", "OFFER").put("dst", "p4").put("payload", new JsonObject().put("n", n)));
      }
      for (int n = 0; n < 50; n++) {
        JsonObject offer = peers.get(4).expectType("OFFER");
        assertEquals(n, offer.getJsonObject("payload").getInteger("n"));
        assertEquals("p1", offer.getString("src"));
      }
    } finally {
      peers.forEach(TestPeer::close);
    }
  }

  @Test
  void peersAreMovedAndRelayOverIoUringToo() throws Exception {
    Vertx uring = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2)).withTransport(Transport.IO_URING).build();
    try {
      assertTrue(Transport.IO_URING.available(), () -> "io_uring: " + Transport.IO_URING.unavailabilityCause());
      assertEquals("io_uring", VertxInternals.transportName(uring));
      peersAcceptedOnEveryLoopAreServedByTheFirstAndRelayInOrder(uring);
    } finally {
      uring.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withAcceptedEachPeerStaysOnTheLoopThatAcceptedIt(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options().set(ServerSettings.LOOP_PLACEMENT, "accepted"));
    Map<String, WebSocketPeerLink> links = linksOf(broker);
    try (TestPeer a = TestPeer.open(vertx, broker.actualPort(), "a");
         TestPeer b = TestPeer.open(vertx, broker.actualPort(), "b")) {
      assertNotSame(links.get("a").channel().eventLoop(), links.get("b").channel().eventLoop());
      a.send(new JsonObject().put("type", "ANSWER").put("dst", "b").put("payload", new JsonObject()));
      assertEquals("a", b.expectType("ANSWER").getString("src"));
    }
  }

  @Test
  void aBusyLoopTakesNoPeersFromOthersAndWhenAllAreBusyPeersStayWhereAccepted(Vertx vertx) throws Exception {
    Map<Long, Long> cpuNanos = new ConcurrentHashMap<>();
    LoopPlacement placement = new LoopPlacement(true, thread -> cpuNanos.getOrDefault(thread, 0L));
    // Two verticle instances take two event loops; each adds its own.
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        placement.add();
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
    List<LoopPlacement.Loop> loops = placement.loops();
    assertEquals(2, loops.size());
    EventLoop first = loops.get(0).eventLoop();
    EventLoop second = loops.get(1).eventLoop();
    placement.sample(0);
    assertSame(first, placement.choose(second).eventLoop(), "idle: packed onto the first loop");

    cpuNanos.put(loops.get(0).threadId(), 600_000_000L); // the first loop was on a core 60 % of the last second
    placement.sample(1_000_000_000L);
    assertSame(second, placement.choose(first).eventLoop(), "the first loop is busy: the next one takes the peer");
    assertSame(second, placement.choose(second).eventLoop());

    cpuNanos.put(loops.get(0).threadId(), 1_200_000_000L);
    cpuNanos.put(loops.get(1).threadId(), 700_000_000L);
    placement.sample(2_000_000_000L);
    assertSame(first, placement.choose(first).eventLoop(), "every loop busy: the peer stays where accepted");
    assertSame(second, placement.choose(second).eventLoop());

    cpuNanos.put(loops.get(0).threadId(), 1_300_000_000L); // the first loop calmed down
    placement.sample(3_000_000_000L);
    assertSame(first, placement.choose(second).eventLoop());
  }

  private static Map<String, WebSocketPeerLink> linksOf(Switchboard broker) {
    Map<String, WebSocketPeerLink> links = new ConcurrentHashMap<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        links.put(peer.id(), (WebSocketPeerLink) peer);
      }
    });
    return links;
  }
}

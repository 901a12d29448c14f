package dev.switchboard;

import dev.switchboard.protocol.CloseCode;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.ProxyProcess;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.config.ServerSettings.LOOP_PLACEMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding API: start inside an application's Vert.x, listen to events, close. */
@ExtendWith(VertxExtension.class)
class EmbeddingTest {

  private static String poll(BlockingQueue<String> events) throws InterruptedException {
    String event = events.poll(5, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no event");
    }
    return event;
  }

  @Test
  void eventsForConnectionMessageAndDisconnection(Vertx vertx) throws Exception {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        events.add("connected " + peer.id() + " " + peer.transport());
      }

      @Override
      public void messageRelayed(PeerLink from, MessageType type, String dst) {
        events.add("relayed " + type + " " + from.id() + "->" + dst);
      }

      @Override
      public void peerDisconnected(PeerLink peer, CloseReason reason) {
        events.add("disconnected " + peer.id() + " " + reason);
      }
    });
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice")) {
      assertEquals("connected alice websocket", poll(events));
      try (TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
        assertEquals("connected bob websocket", poll(events));
        alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\"}");
        bob.expectType("OFFER");
        assertEquals("relayed OFFER alice->bob", poll(events));
        assertEquals(2, broker.peerCount());
      }
      assertEquals("disconnected bob CLIENT_CLOSED", poll(events));
    }
  }

  @Test
  void closeTellsPeersAndStopsListening(Vertx vertx) {
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    int port = broker.actualPort();
    TestPeer alice = TestPeer.open(vertx, port, "alice");
    Await.result(broker.close());
    alice.expectError("Server is shutting down");
    assertEquals(CloseCode.GOING_AWAY, alice.awaitClose().code());
    // Only that the broker no longer takes peers: the failure's text varies (refused, or on a busy
    // machine whatever another process that took the freed port answers), so it is not asserted.
    assertThrows(Throwable.class, () -> TestPeer.open(vertx, port, "bob"));
    assertEquals(0, broker.peerCount());
    alice.close();
  }

  // Port 0 is one random port that every event loop serves: Vert.x hands the accepted connections to
  // the loops in turn. Instances on random ports of their own would leave every connection on the first.
  // (Peers stay on the loop that accepted them here: packed, they would all be admitted on the first.)
  @Test
  void portZeroIsOnePortServedByEveryEventLoop(Vertx vertx) throws Exception {
    Set<String> loops = loopsServing(vertx, Brokers.start(vertx, Brokers.options().set(LOOP_PLACEMENT, "accepted")));
    assertEquals(2, loops.size(), "event loops that served a connection: " + loops);
  }

  @Test
  void aFixedPortIsServedByEveryEventLoop(Vertx vertx) throws Exception {
    int port = ProxyProcess.freePort();
    Switchboard broker = Brokers.start(vertx, Brokers.options().setPort(port).set(LOOP_PLACEMENT, "accepted"));
    assertEquals(port, broker.actualPort());
    Set<String> loops = loopsServing(vertx, broker);
    assertEquals(2, loops.size(), "event loops that served a connection: " + loops);
  }

  // The threads that admitted four WebSocket peers.
  private static Set<String> loopsServing(Vertx vertx, Switchboard broker) throws Exception {
    BlockingQueue<String> threads = new LinkedBlockingQueue<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerConnected(PeerLink peer) {
        threads.add(Thread.currentThread().getName());
      }
    });
    Set<String> loops = new HashSet<>();
    try (TestPeer a = TestPeer.open(vertx, broker.actualPort(), "a");
         TestPeer b = TestPeer.open(vertx, broker.actualPort(), "b");
         TestPeer c = TestPeer.open(vertx, broker.actualPort(), "c");
         TestPeer d = TestPeer.open(vertx, broker.actualPort(), "d")) {
      for (int i = 0; i < 4; i++) {
        loops.add(poll(threads));
      }
    }
    return loops;
  }

  @Test
  void twoBrokersInOneVertxAreIndependent(Vertx vertx) {
    Switchboard one = Brokers.start(vertx, Brokers.options());
    Switchboard two = Brokers.start(vertx, Brokers.options());
    assertTrue(one.actualPort() != two.actualPort());
    try (TestPeer a = TestPeer.open(vertx, one.actualPort(), "same");
         TestPeer b = TestPeer.open(vertx, two.actualPort(), "same")) {
      assertEquals(1, one.peerCount());
      assertEquals(1, two.peerCount());
    }
  }

  @Test
  void invalidOptionsFailTheStart(Vertx vertx) {
    Throwable failure = assertThrows(IllegalArgumentException.class,
        () -> Await.result(Switchboard.start(vertx, Brokers.options().setSslKey("key.pem"))));
    assertTrue(failure.getMessage().contains("sslkey and sslcert go together"));
  }
}

package dev.switchboard.hostile;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on who is who: a spoofed {@code src}, attempts to take the control peers' ids, invalid ids,
 * storms of new ids and rapid reconnects of one id. The control peers keep their ids and get nothing in
 * another's name; the broker ends with no id it should not hold.
 */
class IdentityAbuseIT extends HostileSuite {

  @BeforeAll
  static void start() {
    startBroker("identity-abuse");
  }

  @Test
  void aSpoofedSrcIsReplacedWithTheSendersId() throws Exception {
    String id = attackerId("spoof");
    RawWebSocket attacker = attackerPeer(id);
    attacker.text("{\"type\":\"OFFER\",\"src\":\"" + control.senderId() + "\",\"dst\":\"" + control.receiverId()
        + "\",\"payload\":{\"n\":0,\"sdp\":\"v=0\"}}");
    attacker.text("{\"src\":\"" + control.senderId() + "\",\"type\":\"LEAVE\",\"dst\":\"" + control.receiverId() + "\"}");
    List<JsonObject> got = awaitForeign(2);
    for (JsonObject message : got) {
      assertEquals(id, message.getString("src"), message::encode);
    }
  }

  @Test
  void theControlIdsCannotBeTakenWithAnotherToken() throws Exception {
    for (int i = 0; i < 50; i++) {
      for (String victim : control.ids()) {
        RawWebSocket thief = attack(RawWebSocket.tcp(port()));
        thief.writeAscii(RawWebSocket.upgradeRequest(victim, "stolen" + i));
        assertTrue(thief.readHead().startsWith("HTTP/1.1 101"));
        assertEquals("{\"type\":\"ID-TAKEN\",\"payload\":{\"msg\":\"ID is taken\"}}", thief.readFrame().text());
        assertEquals(1008, thief.awaitClose(Duration.ofSeconds(5)));
      }
    }
  }

  @Test
  void invalidIdsAreRefused() throws Exception {
    for (String id : List.of("a".repeat(65), "a%2Fb", "%3Cscript%3E", "-lead", "trail_", "two%20%20spaces", "%00")) {
      RawWebSocket attacker = attack(RawWebSocket.tcp(port()));
      attacker.writeAscii(RawWebSocket.upgradeRequest(id, "t"));
      assertTrue(attacker.readHead().startsWith("HTTP/1.1 101"));
      assertEquals("{\"type\":\"ERROR\",\"payload\":{\"msg\":\"Invalid id provided\"}}", attacker.readFrame().text(), id);
      assertEquals(1008, attacker.awaitClose(Duration.ofSeconds(5)));
    }
  }

  /** 1000 new ids from 8 threads, each dropped at once (half with a close frame, half by cutting the TCP connection). */
  @Test
  void anIdStormLeavesNoGhosts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger opened = new AtomicInteger();
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 125; i++) {
            try (RawWebSocket peer = RawWebSocket.open(port(), attackerId("storm"))) {
              opened.incrementAndGet();
              if (i % 2 == 0) {
                peer.frame(true, 0, RawWebSocket.CLOSE, true, new byte[] {3, (byte) 0xe8});
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1000, opened.get());
  }

  /** One id reconnecting 300 times with its token: each new connection takes over; one peer remains. */
  @Test
  void rapidReconnectsOfOneIdEndWithExactlyThatPeer() throws Exception {
    String id = attackerId("again");
    RawWebSocket last = null;
    for (int i = 0; i < 300; i++) {
      RawWebSocket next = attack(RawWebSocket.tcp(port()));
      next.writeAscii(RawWebSocket.upgradeRequest(id, "token-" + id));
      if (last != null && i % 3 == 0) {
        last.close(); // sometimes the old one is cut first, sometimes it is superseded
      }
      assertTrue(next.readHead().startsWith("HTTP/1.1 101"));
      assertEquals("{\"type\":\"OPEN\"}", next.readFrame().text());
      last = next;
    }
    broker.awaitPeers(controlAnd(id), Duration.ofSeconds(10));
    // The survivor is the last connection, and it works.
    last.text("{\"type\":\"CANDIDATE\",\"dst\":\"" + id + "\"}");
    assertEquals(id, new JsonObject(last.readFrame().text()).getString("src"));
  }
}

package dev.switchboard.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every category of the hostile suite shares: the jar under attack with a {@link ControlPair}
 * relaying through it, and after each attack the same verdict —
 * <ul>
 *   <li>the process is alive;</li>
 *   <li>the control pair lost no message, got nothing invalid or foreign, and was never disconnected;</li>
 *   <li>{@code GET /peers} lists the control pair and no one else (0 ghost ids) once the attack's
 *       connections are closed (cases check the attackers still legitimately connected during the attack);</li>
 *   <li>no SEVERE line, uncaught exception or OutOfMemoryError in the broker's output.</li>
 * </ul>
 * and, last in each class, the heap after a full GC back within {@link #HEAP_MARGIN_KIB} of where it was
 * after the start. A failed verdict starts a fresh broker and pair, so each case is judged on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HostileSuite {
  static final long HEAP_MARGIN_KIB = 32 * 1024;
  static final Duration SETTLE = Duration.ofSeconds(15);
  private static final AtomicInteger ATTACKERS = new AtomicInteger();

  static Vertx vertx;
  static HostileBroker broker;
  static ControlPair control;
  private static long heapAtStartKiB;
  private static String name;
  private static String[] flags;

  private final List<AutoCloseable> attacks = new ArrayList<>();
  private int outputMark;

  /** Starts the broker with {@code brokerFlags} and the control pair; call from the class's {@code @BeforeAll}. */
  static void startBroker(String brokerName, String... brokerFlags) {
    name = brokerName;
    flags = brokerFlags;
    vertx = Vertx.vertx();
    start();
  }

  private static void start() {
    broker = HostileBroker.start(name, flags);
    control = new ControlPair(vertx, broker.port());
    control.settle((int) SETTLE.toSeconds());
    heapAtStartKiB = broker.heapAfterGcKiB();
  }

  private static void restart() {
    if (control != null) {
      control.close();
    }
    broker.close();
    start();
  }

  @AfterAll
  static void stopBroker() {
    if (control != null) {
      control.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  /** The broker's heap after GC when it had started, in KiB. */
  static long heapAtStartKiB() {
    return heapAtStartKiB;
  }

  /** The broker's port. */
  static int port() {
    return broker.port();
  }

  /** A fresh attacker id (valid for PeerJS), unique in the run. */
  static String attackerId(String prefix) {
    return prefix + ATTACKERS.incrementAndGet();
  }

  /** Registers something to close before the verdict (an attack connection, a client). */
  <T extends AutoCloseable> T attack(T connection) {
    attacks.add(connection);
    return connection;
  }

  /** An attacker admitted as a peer (OPEN read), closed before the verdict. */
  RawWebSocket attackerPeer(String id) throws java.io.IOException {
    return attack(RawWebSocket.open(port(), id));
  }

  /** Waits for {@code count} messages from strangers at the control peers and takes them, for the test to judge. */
  List<JsonObject> awaitForeign(int count) {
    List<JsonObject> taken = new ArrayList<>();
    dev.switchboard.support.Await.until(count + " messages from strangers reach the control pair", () -> {
      taken.addAll(control.takeForeign());
      return taken.size() >= count;
    }, 10);
    return taken;
  }

  /** The control pair's ids and {@code others}: who the broker should list. */
  static Set<String> controlAnd(String... others) {
    Set<String> ids = new HashSet<>(control.ids());
    ids.addAll(List.of(others));
    return ids;
  }

  @BeforeEach
  void markOutput() {
    outputMark = broker.outputMark();
  }

  @AfterEach
  void verdict() throws Exception {
    boolean passed = false;
    try {
      for (AutoCloseable attack : attacks) {
        attack.close();
      }
      assertTrue(broker.isAlive(), () -> "the broker died:\n" + tail(broker.output()));
      control.settle((int) SETTLE.toSeconds());
      broker.awaitPeers(controlAnd(), Duration.ofSeconds(10));
      List<String> alarms = broker.alarmsSince(outputMark);
      assertTrue(alarms.isEmpty(), () -> "the broker logged alarms on client input:\n" + String.join("\n", alarms));
      passed = true;
    } finally {
      if (!passed) {
        restart();
      }
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void heapAfterGcIsBackNearItsStart() {
    long now = broker.heapAfterGcKiB();
    System.out.printf("[%s] heap after GC: %d KiB at start, %d KiB after the attacks; RSS %d KiB; %d control messages relayed%n",
        name, heapAtStartKiB, now, broker.rssKiB(), control.relayed());
    assertTrue(now <= heapAtStartKiB + HEAP_MARGIN_KIB, () -> "heap after GC grew from " + heapAtStartKiB
        + " KiB to " + now + " KiB (margin " + HEAP_MARGIN_KIB + " KiB)");
  }

  private static String tail(String output) {
    return output.length() > 4000 ? "…" + output.substring(output.length() - 4000) : output;
  }
}

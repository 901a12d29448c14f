package dev.switchboard.calls;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * What call set-up costs on loopback, against a plain relay over the same sockets: writing CALL-INVITE
 * at the caller → reading CALL-INCOMING at the callee; the callee's CALL-RINGING → the caller's
 * CALL-RINGING; and a CANDIDATE relayed caller → callee as the baseline. A throwaway measurement, run as
 *
 * <pre>mvn -q -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.switchboard.calls.CallLatency</pre>
 */
public final class CallLatency {
  private static final int WARMUP = 500;
  private static final int ROUNDS = 2_000;

  private CallLatency() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    Switchboard broker = Brokers.start(vertx, Brokers.options());
    try (TestPeer alice = TestPeer.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = TestPeer.open(vertx, broker.actualPort(), "bob")) {
      long[] relay = new long[ROUNDS];
      long[] incoming = new long[ROUNDS];
      long[] ringing = new long[ROUNDS];
      for (int i = -WARMUP; i < ROUNDS; i++) {
        String callId = "c" + (i + WARMUP);
        long t0 = System.nanoTime();
        alice.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":{\"candidate\":\"x\"}}");
        bob.nextText();
        long t1 = System.nanoTime();
        CallFrames.send(alice, "CALL-INVITE", new JsonObject().put("callId", callId).put("to", "bob"));
        bob.nextText();
        long t2 = System.nanoTime();
        CallFrames.send(bob, "CALL-RINGING", new JsonObject().put("callId", callId));
        alice.nextText(); // CALL-TRYING
        alice.nextText(); // CALL-RINGING
        long t3 = System.nanoTime();
        CallFrames.send(alice, "CALL-CANCEL", new JsonObject().put("callId", callId));
        alice.nextText();
        bob.nextText();
        if (i >= 0) {
          relay[i] = t1 - t0;
          incoming[i] = t2 - t1;
          ringing[i] = t3 - t2;
        }
      }
      report("CANDIDATE relay (baseline)", relay);
      report("CALL-INVITE -> CALL-INCOMING", incoming);
      report("CALL-RINGING -> CALL-RINGING", ringing);
    } finally {
      Await.result(broker.close());
      vertx.close();
    }
  }

  private static void report(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf("%-32s median %6.1f µs   p99 %7.1f µs%n", what, sorted[sorted.length / 2] / 1e3,
        sorted[(int) (sorted.length * 0.99)] / 1e3);
  }
}

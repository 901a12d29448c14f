package dev.switchboard.bench;

import dev.switchboard.Switchboard;
import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Await;
import dev.switchboard.support.SessionService;
import dev.switchboard.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Not a test: prints what each auth mode adds to a connection, measured on loopback. For each mode it
 * times (1) the gate alone — credentials to identity and id check — and (2) a whole WebSocket connect
 * until OPEN, one connection at a time. Run after {@code mvn test-compile}:
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) dev.switchboard.bench.AuthConnectCost</pre>
 */
public final class AuthConnectCost {
  private static final int WARMUP = 500;
  private static final int CONNECTS = 1_000;
  private static final int VERIFIES = 5_000;

  private AuthConnectCost() {
  }

  private record Mode(String name, SwitchboardOptions options, IntFunction<String> token, IntFunction<String> id) {
  }

  public static void main(String[] args) throws Exception {
    int status = 0;
    try {
      run();
    } catch (Throwable failure) {
      failure.printStackTrace();
      status = 1;
    }
    System.exit(status); // do not linger on Vert.x's threads
  }

  private static void run() throws Exception {
    Vertx vertx = Vertx.vertx();
    SessionService service = SessionService.start(vertx);
    int users = WARMUP + CONNECTS + VERIFIES;
    for (int i = 0; i < users; i++) {
      service.user("sess-" + i, "u" + i);
    }
    service.user("sess-hit", "alice");
    KeyPair rsa = Tokens.rsaKeys();
    KeyPair ec = Tokens.ecKeys();
    Path rsaPem = Files.writeString(Files.createTempFile("rsa", ".pem"), Tokens.publicPem(rsa));
    Path ecPem = Files.writeString(Files.createTempFile("ec", ".pem"), Tokens.publicPem(ec));
    String[] hs = new String[users];
    String[] rs = new String[users];
    String[] es = new String[users];
    for (int i = 0; i < users; i++) {
      hs[i] = Tokens.hs256(Tokens.SECRET, Tokens.claims("u" + i).put("exp", Tokens.now(3600)));
      rs[i] = Tokens.rs256(rsa, null, Tokens.claims("u" + i).put("exp", Tokens.now(3600)));
      es[i] = Tokens.es256(ec, null, Tokens.claims("u" + i).put("exp", Tokens.now(3600)));
    }
    SwitchboardOptions base = new SwitchboardOptions().setHost("127.0.0.1").setPort(0).setEventLoops(2)
        .setConcurrentLimit(100_000);
    List<Mode> modes = List.of(
        new Mode("none", new SwitchboardOptions(base), i -> "t" + i, i -> "u" + i),
        new Mode("jwt HS256", new SwitchboardOptions(base).setAuth("jwt").setJwtSecret(Tokens.SECRET), i -> hs[i], i -> "u" + i),
        new Mode("jwt RS256 (2048)", new SwitchboardOptions(base).setAuth("jwt").setJwtPublicKey(rsaPem.toString()), i -> rs[i], i -> "u" + i),
        new Mode("jwt ES256", new SwitchboardOptions(base).setAuth("jwt").setJwtPublicKey(ecPem.toString()), i -> es[i], i -> "u" + i),
        new Mode("session, cache miss", new SwitchboardOptions(base).setAuth("session").setSessionUrl(service.url()),
            i -> "sess-" + i, i -> "u" + i),
        new Mode("session, cache hit", new SwitchboardOptions(base).setAuth("session").setSessionUrl(service.url()),
            i -> "sess-hit", i -> "alice"));

    // Round 1 warms every code path (JIT) so no mode pays for running first; round 2 is reported.
    for (int round = 1; round <= 2; round++) {
      if (round == 2) {
        System.out.printf("%-22s %14s %14s %14s %14s%n", "mode", "gate p50 µs", "gate p99 µs", "connect p50 ms", "connect p99 ms");
      }
      for (Mode mode : modes) {
        double[] gate = gate(vertx, mode);
        double[] connect = connects(vertx, mode);
        if (round == 2) {
          System.out.printf("%-22s %14.1f %14.1f %14.3f %14.3f%n", mode.name(), gate[0], gate[1], connect[0], connect[1]);
        }
      }
    }
    System.out.println("session look-ups made: " + service.requests());
    service.close();
    vertx.close().await();
  }

  // The gate alone, one call at a time from an event loop: credentials -> identity -> id policy.
  private static double[] gate(Vertx vertx, Mode mode) {
    PeerGate gate = Await.result(PeerGate.create(vertx, mode.options().validate(), Clock.systemUTC()));
    long[] nanos = new long[VERIFIES];
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> verifyNext(gate, mode, nanos, 0, done));
    Await.result(done.future(), 120);
    Await.result(gate.close());
    return percentiles(Arrays.copyOfRange(nanos, VERIFIES / 5, VERIFIES), 1_000.0);
  }

  private static void verifyNext(PeerGate gate, Mode mode, long[] nanos, int i, Promise<Void> done) {
    if (i == nanos.length) {
      done.complete();
      return;
    }
    // Every gate and broker starts with an empty cache: "miss" tokens are each used once per cache.
    int user = mode.name().contains("miss") ? WARMUP + CONNECTS + i : i;
    long started = System.nanoTime();
    gate.admit(new Credentials(mode.token().apply(user), Credentials.Source.QUERY), mode.id().apply(user)).onComplete(r -> {
      nanos[i] = System.nanoTime() - started;
      if (r.failed()) {
        done.fail(r.cause());
        return;
      }
      // Not recursively: a gate that answers at once would overflow the stack.
      io.vertx.core.Vertx.currentContext().runOnContext(v -> verifyNext(gate, mode, nanos, i + 1, done));
    });
  }

  // Whole connects: upgrade, verification, OPEN received; then close, one at a time.
  private static double[] connects(Vertx vertx, Mode mode) {
    Switchboard broker = Await.result(Switchboard.start(vertx, mode.options()));
    WebSocketClient client = vertx.createWebSocketClient();
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < WARMUP + CONNECTS; i++) {
      String query = "key=peerjs&id=" + mode.id().apply(i) + "&token=" + mode.token().apply(i) + "&version=1.5.5";
      long started = System.nanoTime();
      Await.result(openAndClose(client, broker.actualPort(), query));
      if (i >= WARMUP) {
        nanos.add(System.nanoTime() - started);
      }
    }
    Await.result(client.close());
    Await.result(broker.close());
    return percentiles(nanos.stream().mapToLong(Long::longValue).toArray(), 1_000_000.0);
  }

  private static Future<Void> openAndClose(WebSocketClient client, int port, String query) {
    Promise<Void> opened = Promise.promise();
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/peerjs?" + query))
        .compose(socket -> {
          socket.textMessageHandler(text -> {
            if (text.contains("\"OPEN\"")) {
              opened.tryComplete();
            } else {
              opened.tryFail(text);
            }
          });
          return opened.future().compose(v -> socket.close());
        });
  }

  private static double[] percentiles(long[] values, double unit) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new double[] {sorted[sorted.length / 2] / unit, sorted[(int) (sorted.length * 0.99)] / unit};
  }
}

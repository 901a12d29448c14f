package dev.switchboard.bench;

import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The churn of scripts/soak.sh: keeps a population of peers connected to a running broker and, every
 * second, replaces some of them (closed with a close frame, new ids each time), relays messages between
 * random connected peers and sends some to ids that just left (queued, then EXPIREd). At the end it
 * closes everyone and asks {@code GET /peerjs/peers} (the broker runs with --allow_discovery) who is
 * left: the leaked peers. Memory is sampled by the script, from outside.
 *
 * <pre>Soak --port P --seconds S [--peers 200] [--churn 40] [--relays 400] [--absent 20]</pre>
 */
public final class Soak {
  private Soak() {
  }

  public static void main(String[] args) throws Exception {
    int port = option(args, "--port", -1);
    int seconds = option(args, "--seconds", 180);
    int population = option(args, "--peers", 200);
    int churn = option(args, "--churn", 40);
    int relays = option(args, "--relays", 400);
    int absent = option(args, "--absent", 20);
    if (port < 0) {
      throw new IllegalArgumentException("--port is required");
    }
    AtomicLong sent = new AtomicLong();
    AtomicLong received = new AtomicLong();
    long connects = 0;
    List<LoadClient.Peer> peers = new ArrayList<>();
    List<String> departed = new ArrayList<>();
    try (LoadClient client = new LoadClient(2, 4)) {
      int next = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      for (long tick = 0; System.nanoTime() < end; tick++) {
        long tickEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        // Replace `churn` peers (all of them at first, up to the population).
        int remove = peers.size() >= population ? Math.min(churn, peers.size()) : 0;
        int open = peers.size() < population ? population - peers.size() : churn;
        for (int i = 0; i < remove; i++) {
          LoadClient.Peer gone = peers.remove(ThreadLocalRandom.current().nextInt(peers.size()));
          departed.add(gone.id);
          gone.close();
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < open; i++) {
          ids.add("soak" + next++);
        }
        LoadClient.Opened opened = client.connectAll(port, ids, id -> "token-" + id, 20, (peer, nanos) -> { });
        connects += opened.peers().size();
        for (LoadClient.Peer peer : opened.peers()) {
          peer.onMessage = data -> countRelayed(data, received);
          peers.add(peer);
        }
        relay(peers, departed, relays, absent, sent);
        if (tick % 10 == 0) {
          System.out.printf("soak: %d s, %d peers, %d connects, %d relayed of %d sent%n", tick, peers.size(), connects,
              received.get(), sent.get());
        }
        long left = tickEnd - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.sleep(left); // pacing the churn to once a second, not waiting for a result
        }
      }
      LoadClient.closeAll(peers);
    }
    System.out.printf("soak: connects %d, messages sent %d, relayed %d%n", connects, sent.get(), received.get());
    System.out.printf("soak: leaked peers %d%n", leaked(port));
  }

  private static void countRelayed(Buffer data, AtomicLong received) {
    if (data.toString(StandardCharsets.UTF_8).startsWith("{\"type\":\"OFFER\"")) {
      received.incrementAndGet();
    }
  }

  // `relays` OFFERs between random connected peers, `absent` CANDIDATEs to ids that have left.
  private static void relay(List<LoadClient.Peer> peers, List<String> departed, int relays, int absent, AtomicLong sent) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < relays && peers.size() > 1; i++) {
      LoadClient.Peer from = peers.get(random.nextInt(peers.size()));
      LoadClient.Peer to = peers.get(random.nextInt(peers.size()));
      byte[] offer = ("{\"type\":\"OFFER\",\"dst\":\"" + to.id + "\",\"payload\":{\"sdp\":\"v=0 " + i + "\"}}")
          .getBytes(StandardCharsets.UTF_8);
      from.context.runOnContext(v -> from.send(offer));
      sent.incrementAndGet();
    }
    for (int i = 0; i < absent && !departed.isEmpty() && !peers.isEmpty(); i++) {
      LoadClient.Peer from = peers.get(random.nextInt(peers.size()));
      String to = departed.get(random.nextInt(departed.size()));
      byte[] candidate = ("{\"type\":\"CANDIDATE\",\"dst\":\"" + to + "\",\"payload\":{\"candidate\":\"x\"}}")
          .getBytes(StandardCharsets.UTF_8);
      from.context.runOnContext(v -> from.send(candidate));
    }
    if (departed.size() > 1000) {
      departed.subList(0, departed.size() - 1000).clear();
    }
  }

  // Peers the broker still lists once every client has closed; the closes take a moment to be seen.
  private static int leaked(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int listed = -1;
    for (int attempt = 0; attempt < 50 && listed != 0; attempt++) {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/peerjs/peers")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      listed = new io.vertx.core.json.JsonArray(body).size();
      if (listed != 0) {
        TimeUnit.MILLISECONDS.sleep(200); // polling interval while closes are processed
      }
    }
    return listed;
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}

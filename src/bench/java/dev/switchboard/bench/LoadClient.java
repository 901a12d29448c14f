package dev.switchboard.bench;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The load generator: PeerJS-like WebSocket peers on a few Vert.x event loops (many connections per
 * loop), spread over several source addresses 127.0.0.2, .3 … so that the ephemeral ports of one
 * address never limit the number of connections.
 */
final class LoadClient implements AutoCloseable {
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/142.0.0.0 Safari/537.36";
  private final Vertx vertx;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<Context> contexts = new ArrayList<>();

  LoadClient(int loops, int addresses) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    for (int i = 0; i < addresses; i++) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress("127.0.0." + (2 + i))
          .setMaxConnections(Integer.MAX_VALUE)
          .setConnectTimeout(30_000)
          .setTcpNoDelay(true)
          // As browsers do: offer permessage-deflate; the server decides (PeerServer declines).
          .setTryUsePerMessageCompression(true)));
    }
    for (int i = 0; i < loops; i++) {
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
  }

  Vertx vertx() {
    return vertx;
  }

  List<Context> contexts() {
    return contexts;
  }

  /** One client peer; its socket lives on one event loop of the generator. */
  static final class Peer {
    final String id;
    final Context context;
    volatile Consumer<Buffer> onMessage = b -> { };
    private final Promise<Peer> opened = Promise.promise();
    private final Promise<Void> closed = Promise.promise();
    private ClientWebSocket socket;
    long openedNanos;

    Peer(String id, Context context) {
      this.id = id;
      this.context = context;
    }

    /** Sends a text frame made of {@code json} (call on {@link #context} for the cheapest path). */
    void send(byte[] json) {
      socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(json), true));
    }

    Future<Void> close() {
      context.runOnContext(v -> {
        if (socket != null && !socket.isClosed()) {
          socket.close();
        } else {
          closed.tryComplete();
        }
      });
      return closed.future();
    }
  }

  /** Opens a peer and completes when the server said OPEN (fails on anything else first). */
  Future<Peer> connect(int port, String id, String token, int index) {
    Peer peer = new Peer(id, contexts.get(Math.floorMod(index, contexts.size())));
    WebSocketClient client = clients.get(Math.floorMod(index / contexts.size(), clients.size()));
    peer.context.runOnContext(v -> {
      ClientWebSocket socket = client.webSocket();
      peer.socket = socket;
      socket.handler(data -> {
        if (peer.opened.future().isComplete()) {
          peer.onMessage.accept(data);
        } else if (data.toString().startsWith("{\"type\":\"OPEN\"")) {
          peer.openedNanos = System.nanoTime();
          peer.opened.tryComplete(peer);
        } else {
          peer.opened.tryFail("first message was not OPEN: " + data);
        }
      });
      socket.closeHandler(c -> {
        peer.opened.tryFail("closed before OPEN");
        peer.closed.tryComplete();
      });
      socket.exceptionHandler(failure -> peer.opened.tryFail(failure));
      socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
              .setURI("/peerjs?key=peerjs&id=" + id + "&token=" + token + "&version=1.5.5")
              // What Chrome sends besides the WebSocket headers: servers that keep the upgrade
              // request keep these too, so idle memory is measured with them.
              .addHeader("Origin", "http://127.0.0.1:8080")
              .addHeader("User-Agent", BROWSER)
              .addHeader("Accept-Encoding", "gzip, deflate, br, zstd")
              .addHeader("Accept-Language", "en-US,en;q=0.9")
              .addHeader("Cache-Control", "no-cache")
              .addHeader("Pragma", "no-cache"))
          .onFailure(failure -> {
            peer.opened.tryFail(failure);
            peer.closed.tryComplete();
          });
    });
    return peer.opened.future();
  }

  /** Result of opening many peers. */
  record Opened(List<Peer> peers, int failures, String firstFailure) {
  }

  /**
   * Opens the peers {@code ids} with at most {@code concurrency} handshakes in flight; peer i goes to
   * event loop i mod loops. {@code onOpen} sees each peer and its connect-to-OPEN time in ns.
   */
  Opened connectAll(int port, List<String> ids, java.util.function.Function<String, String> token,
                    int concurrency, java.util.function.ObjLongConsumer<Peer> onOpen) throws InterruptedException {
    Peer[] peers = new Peer[ids.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    String[] firstFailure = new String[1];
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(ids.size());
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= ids.size()) {
        return;
      }
      long start = System.nanoTime();
      connect(port, ids.get(i), token.apply(ids.get(i)), i).onComplete(result -> {
        if (result.succeeded()) {
          peers[i] = result.result();
          onOpen.accept(result.result(), result.result().openedNanos - start);
        } else {
          failures.incrementAndGet();
          synchronized (firstFailure) {
            if (firstFailure[0] == null) {
              firstFailure[0] = String.valueOf(result.cause());
            }
          }
        }
        done.countDown();
        launch[0].run();
      });
    };
    for (int i = 0; i < Math.min(concurrency, ids.size()); i++) {
      launch[0].run();
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("connecting " + ids.size() + " peers did not finish in 10 minutes");
    }
    List<Peer> open = new ArrayList<>();
    for (Peer peer : peers) {
      if (peer != null) {
        open.add(peer);
      }
    }
    return new Opened(open, failures.get(), firstFailure[0]);
  }

  /** Closes the peers and waits (bounded) until their sockets are closed. */
  static void closeAll(List<Peer> peers) {
    List<Future<Void>> closing = new ArrayList<>();
    for (Peer peer : peers) {
      closing.add(peer.close());
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("bench: not every peer closed within 60 s: " + e);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

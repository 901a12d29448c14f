package com.example.embedding;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.config.Version;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts Switchboard inside the application's own Vert.x on a free port and lets two PeerJS-style
 * clients exchange an OFFER through it; prints what EmbeddingIT checks (classpath, copies of Vert.x,
 * the relayed frame) and exits 0, or exits 1 naming what went wrong.
 */
public final class App {
  private static final long WAIT_SECONDS = 15;

  public static void main(String[] args) throws Exception {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      System.out.println("classpath " + entry);
    }
    System.out.println("vertx-copies " + Collections.list(
        App.class.getClassLoader().getResources("io/vertx/core/Vertx.class")).size());
    System.out.println("switchboard-version " + Version.current());
    Vertx vertx = Vertx.vertx();
    try {
      SwitchboardOptions options = new SwitchboardOptions().setHost("127.0.0.1").setPort(0);
      Switchboard broker = Switchboard.start(vertx, options).await();
      WebSocketClient client = vertx.createWebSocketClient();
      Peer alice = Peer.connect(client, broker.actualPort(), "alice");
      Peer bob = Peer.connect(client, broker.actualPort(), "bob");
      System.out.println("alice " + alice.next().getString("type"));
      System.out.println("bob " + bob.next().getString("type"));
      alice.socket().writeTextMessage(new JsonObject().put("type", "OFFER").put("dst", "bob")
          .put("payload", new JsonObject().put("sdp", "v=0")).encode()).await();
      System.out.println("bob-received " + bob.next().encode());
      broker.close().await();
    } finally {
      vertx.close().await();
    }
  }

  /** A PeerJS-style client: a WebSocket to {@code /peerjs} and the frames it received, in order. */
  private record Peer(ClientWebSocket socket, BlockingQueue<JsonObject> received) {
    static Peer connect(WebSocketClient client, int port, String id) {
      BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
      // The handler is set before connecting, so the broker's first frame (OPEN) cannot be missed.
      ClientWebSocket socket = client.webSocket().textMessageHandler(text -> received.add(new JsonObject(text)));
      socket.connect(port, "127.0.0.1", "/peerjs?key=peerjs&id=" + id + "&token=t-" + id).await();
      return new Peer(socket, received);
    }

    JsonObject next() throws InterruptedException {
      JsonObject message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (message == null) {
        throw new IllegalStateException("no message within " + WAIT_SECONDS + " s");
      }
      return message;
    }
  }
}

package dev.switchboard.bench;

import io.netty.buffer.Unpooled;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical limit on this stack: a WebSocket server on the same Vert.x/Netty as Switchboard that
 * does the least a relay can do. Peer {@code <x>a} is paired with {@code <x>b}; every text frame from
 * one is written unchanged to the other (no JSON, no src, no queue, no checks). It sends
 * {@code {"type":"OPEN"}} on connect so the same load generator drives it.
 *
 * <p>{@code java -cp <bench classpath> dev.switchboard.bench.RawForwarder PORT [EVENT_LOOPS]}
 */
public final class RawForwarder extends VerticleBase {
  private static final byte[] OPEN = "{\"type\":\"OPEN\"}".getBytes();
  private static final Map<String, ServerWebSocket> SOCKETS = new ConcurrentHashMap<>();

  private final int port;

  RawForwarder(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new RawForwarder(port), new DeploymentOptions().setInstances(loops))
        .onSuccess(id -> System.out.println("forwarder listening on " + port))
        .onFailure(failure -> {
          failure.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .requestHandler(request -> request.response().end("{\"name\":\"forwarder\"}"))
        .webSocketHandler(this::connected)
        .listen();
  }

  private void connected(ServerWebSocket socket) {
    String query = socket.query() == null ? "" : socket.query();
    String id = query.replaceAll(".*(?:^|&)id=([^&]*).*", "$1");
    String partner = id.substring(0, id.length() - 1) + (id.endsWith("a") ? "b" : "a");
    SOCKETS.put(id, socket);
    socket.closeHandler(v -> SOCKETS.remove(id, socket));
    socket.frameHandler(frame -> {
      ServerWebSocket to = SOCKETS.get(partner);
      if (to != null) {
        write(to, frame.binaryData());
      }
    });
    write(socket, Buffer.buffer(OPEN));
  }

  private static void write(ServerWebSocket to, Buffer data) {
    to.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(data.getBytes()), true));
  }
}

package dev.switchboard.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails loudly when a Vert.x upgrade moves what {@link VertxInternals} reaches into, on real connections
 * to a plain Vert.x HTTP server: the HTTP/1.x pipeline and its handler names, the WebSocket takeover
 * (Vert.x's handler replaced, events dispatched in the server's context, the shutdown event), text frames
 * from bytes, the immediate close. docs/upgrading.md says what to do when it fails.
 */
@ExtendWith(VertxExtension.class)
class VertxInternalsTest {
  private static final long WAIT = 10;

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT, TimeUnit.SECONDS);
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return await(future.toCompletionStage().toCompletableFuture());
  }

  private static String poll(BlockingQueue<String> events) throws InterruptedException {
    String event = events.poll(WAIT, TimeUnit.SECONDS);
    assertNotNull(event, "no event within " + WAIT + " s");
    return event;
  }

  @Test
  void anHttp1ConnectionsPipelineIsReachableWithTheNamesTheGuardUses(Vertx vertx) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    CompletableFuture<Boolean> dropsAtOnce = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> {
          ChannelPipeline pipeline = VertxInternals.http1Pipeline(connection);
          names.complete(pipeline == null ? null : new ArrayList<>(pipeline.names()));
          dropsAtOnce.complete(VertxInternals.dropsAtOnce(connection));
        })
        .requestHandler(request -> request.response().end("ok"));
    int port = await(server.listen()).actualPort();
    String body = await(vertx.createHttpClient(new HttpClientOptions())
        .request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))).toString();
    assertEquals("ok", body);
    List<String> pipeline = await(names);
    assertNotNull(pipeline, "Vert.x's HTTP/1.x connection class or its codec names changed");
    int decoder = pipeline.indexOf(VertxInternals.HTTP_DECODER);
    int encoder = pipeline.indexOf(VertxInternals.HTTP_ENCODER);
    int handler = pipeline.indexOf(VertxInternals.VERTX_HANDLER);
    assertTrue(decoder >= 0 && decoder < encoder && encoder < handler, pipeline.toString());
    assertTrue(await(dropsAtOnce), "an HTTP connection is no longer a ConnectionBase: XHR streams cannot be dropped");
  }

  @Test
  void aWebSocketIsTakenOverAndItsEventsRunInTheServersContext(Vertx vertx) throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    // As the broker's server: no compression extension, the upgrade accepted before the socket is handed over.
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandshakeHandler(ServerWebSocketHandshake::accept)
        .webSocketHandler(socket -> {
          Context context = VertxInternals.currentContext();
          ChannelPipeline pipeline = VertxInternals.pipeline(socket);
          events.add("last " + pipeline.names().get(pipeline.names().size() - 2)); // the tail is Netty's
          VertxInternals.replaceVertxHandler(pipeline, "before", new ChannelDuplexHandler(), "probe",
              new Probe(context, events));
          events.add("names " + pipeline.names());
        });
    int port = await(server.listen()).actualPort();
    WebSocketClient clients = vertx.createWebSocketClient(); // held: Vert.x closes a client it collects
    WebSocket client = await(clients.webSocket().connect(port, "127.0.0.1", "/"));
    assertEquals("last " + VertxInternals.VERTX_HANDLER, poll(events), "Vert.x's WebSocket handler is not last");
    String names = poll(events);
    assertTrue(names.contains("before, probe") && !names.contains(VertxInternals.VERTX_HANDLER + ","), names);

    await(client.writeTextMessage("ping"));
    assertEquals("read ping in the server's context", poll(events));

    server.close();
    assertEquals("shutdown event", poll(events), "closing the server no longer sends Vert.x's ShutdownEvent");
    clients.close();
  }

  @Test
  void aTextFrameMadeFromBytesReachesTheClient(Vertx vertx) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(socket -> socket.writeFrame(
            VertxInternals.textFrame("{\"type\":\"HELLO\"}".getBytes(StandardCharsets.UTF_8))));
    int port = await(server.listen()).actualPort();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocketClient clients = vertx.createWebSocketClient();
    await(clients.webSocket().textMessageHandler(received::add).connect(port, "127.0.0.1", "/"));
    assertEquals("{\"type\":\"HELLO\"}", poll(received));
    clients.close();
  }

  @Test
  void aVertxThatIsNotClusteredHasNoClusterManager(Vertx vertx) {
    assertNull(VertxInternals.clusterManager(vertx));
  }

  /** Stands where Vert.x's handler was, as the broker's peer handler does. */
  private static final class Probe extends ChannelInboundHandlerAdapter {
    private final Context context;
    private final BlockingQueue<String> events;

    Probe(Context context, BlockingQueue<String> events) {
      this.context = context;
      this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      VertxInternals.dispatch(context, msg, frame -> {
        try {
          String where = Vertx.currentContext() == context ? " in the server's context" : " elsewhere";
          if (frame instanceof TextWebSocketFrame text) {
            events.add("read " + text.text() + where);
          }
        } finally {
          ReferenceCountUtil.release(frame);
        }
      });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (VertxInternals.isServerShutdown(event)) {
        VertxInternals.dispatch(context, () -> events.add("shutdown event"));
      }
      ReferenceCountUtil.release(event);
    }
  }
}

package dev.switchboard.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.http1.Http1ServerConnection;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * Every use Switchboard makes of Vert.x internals, and the names of Vert.x's handlers in a server's
 * Netty pipeline: nothing else in the broker imports {@code io.vertx.core.internal} or a Vert.x
 * {@code impl} package, or places handlers relative to Vert.x's own. Vert.x has no public API for these;
 * they buy the per-peer memory and the HTTP edge guards of docs/performance.md and docs/deploy.md.
 * {@code VertxInternalsTest} fails when a Vert.x upgrade moves any of them (docs/upgrading.md).
 *
 * <p>Not for applications: public only so that the broker's cluster and XHR packages can reach it.
 */
public final class VertxInternals {
  /** Vert.x's HTTP/1.x request decoder in a server pipeline. */
  static final String HTTP_DECODER = "httpDecoder";
  /** Vert.x's HTTP/1.x response encoder in a server pipeline. */
  static final String HTTP_ENCODER = "httpEncoder";
  /** Vert.x's connection handler, the last of a server pipeline. */
  static final String VERTX_HANDLER = "handler";

  private VertxInternals() {
  }

  /**
   * The pipeline of an HTTP/1.x server connection, as the server's connection handler sees it (before
   * any byte was decoded); null for an HTTP/2 connection (h2c with prior knowledge), which has no
   * HTTP/1.x decoder to guard.
   */
  static ChannelPipeline http1Pipeline(HttpConnection connection) {
    if (!(connection instanceof Http1ServerConnection http1)) {
      return null;
    }
    ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
    return pipeline.get(HTTP_DECODER) != null && pipeline.get(HTTP_ENCODER) != null ? pipeline : null;
  }

  /**
   * Adds {@code inbound} before Vert.x's HTTP/1.x decoder (it sees raw bytes) and {@code outbound} after
   * its encoder (it sees responses as objects), leaving Vert.x's handlers as they are (as vertx-mqtt does).
   */
  static void addAroundHttpCodec(ChannelPipeline pipeline, String inboundName, ChannelHandler inbound,
                                 String outboundName, ChannelHandler outbound) {
    pipeline.addBefore(HTTP_DECODER, inboundName, inbound);
    pipeline.addAfter(HTTP_ENCODER, outboundName, outbound);
  }

  /** The pipeline of an accepted WebSocket's connection. */
  static ChannelPipeline pipeline(ServerWebSocket socket) {
    return ((WebSocketInternal) socket).channelHandlerContext().pipeline();
  }

  /**
   * Takes an upgraded WebSocket's connection over from Vert.x: {@code beforeName} goes where Vert.x's
   * handler was, followed by {@code handler} in its place; Vert.x's objects for the connection are no
   * longer reached from the channel.
   */
  static void replaceVertxHandler(ChannelPipeline pipeline, String beforeName, ChannelHandler before,
                                  String name, ChannelHandler handler) {
    pipeline.addBefore(VERTX_HANDLER, beforeName, before);
    pipeline.replace(VERTX_HANDLER, name, handler);
  }

  /** The current Vert.x context (a server instance's, on its event loop), for {@link #dispatch}. */
  static Context currentContext() {
    Context context = Vertx.currentContext();
    if (!(context instanceof ContextInternal)) {
      throw new IllegalStateException("not on a Vert.x context: " + context);
    }
    return context;
  }

  /** The network transport {@code vertx} runs on: io_uring, epoll, kqueue or nio. */
  public static String transportName(Vertx vertx) {
    String name = ((VertxInternal) vertx).transport().getClass().getSimpleName();
    return switch (name) {
      case "IoUringTransport" -> "io_uring";
      case "EpollTransport" -> "epoll";
      case "KQueueTransport" -> "kqueue";
      case "NioTransport" -> "nio";
      default -> name;
    };
  }

  /** The Netty event loop of a Vert.x event-loop context. */
  static EventLoop eventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /**
   * Runs {@code handler} with {@code event} inside {@code context} from a Netty handler on the context's
   * event loop, as Vert.x's own connection handler does (code looking up the current context finds it).
   */
  static <E> void dispatch(Context context, E event, Handler<E> handler) {
    ((ContextInternal) context).dispatch(event, handler);
  }

  /** {@link #dispatch(Context, Object, Handler)} for a task without an event. */
  static void dispatch(Context context, Runnable task) {
    ((ContextInternal) context).dispatch(task);
  }

  /** Whether a pipeline event is Vert.x's notice that the server is shutting down. */
  static boolean isServerShutdown(Object event) {
    return event instanceof ShutdownEvent;
  }

  /**
   * A text frame of already encoded UTF-8 JSON. Vert.x's public API makes text frames only from Strings,
   * which would decode and re-encode every relayed message; this wraps the bytes as they are.
   */
  static WebSocketFrame textFrame(byte[] utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8), true);
  }

  /**
   * Closes an HTTP connection at once, with what is queued on it. Vert.x closes a connection only once
   * what is queued is written, which a client that does not read never allows, and its pipeline handler
   * turns a channel close into that same wait; a close sent from its handler's place towards the socket
   * passes it by. A connection of another kind is closed the ordinary way.
   */
  public static void dropConnection(HttpConnection connection) {
    if (dropsAtOnce(connection)) {
      ((ConnectionBase) connection).channelHandlerContext().close();
    } else {
      connection.close();
    }
  }

  /** Whether {@link #dropConnection} can close {@code connection} at once (else it waits as Vert.x does). */
  static boolean dropsAtOnce(HttpConnection connection) {
    return connection instanceof ConnectionBase;
  }

  /** The cluster manager of a clustered Vert.x; null if {@code vertx} is not clustered. */
  public static ClusterManager clusterManager(Vertx vertx) {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager() : null;
  }
}

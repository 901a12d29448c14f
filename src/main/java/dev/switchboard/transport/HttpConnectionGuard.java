package dev.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps one HTTP/1.x connection from being held open by a client that does not finish what it started:
 * the request line and headers must arrive within {@code header_timeout} (of the connection, for its
 * first request; of their first byte, for later ones), a body within {@code body_timeout} of its
 * headers, and a connection with nothing in progress is closed after {@code http_idle_timeout}. While a
 * response is being produced or streamed (an XHR stream, a long-poll) nothing is timed: those have their
 * own liveness. Once the connection upgrades (101) the guard leaves the pipeline: WebSocket peers are
 * timed by {@code alive_timeout}. A timed-out request is answered 408 where an HTTP response is still
 * possible (PeerServer's Node server does the same), else the connection is closed.
 *
 * <p>It also refuses what Vert.x would accept but should not: folded header lines (obs-fold), versions
 * other than HTTP/1.x, and CONNECT (the broker is no proxy), with 400 (405 for CONNECT) and a close.
 *
 * <p>Two handlers share this state: {@link Bytes} before Vert.x's decoder sees raw bytes (where a head
 * starts, folds), {@link Exchanges} after it sees requests and responses. All on the channel's event loop.
 */
final class HttpConnectionGuard {
  static final String BYTES = "edgeBytes";
  static final String EXCHANGES = "edgeExchanges";
  private static final Logger LOG = Logger.getLogger(HttpConnectionGuard.class.getName());

  private enum Wait { HEADER, BODY, IDLE }

  private final Channel channel;
  private final EdgeTimeouts timeouts;
  private final String remote;
  private final Runnable released;
  private final RequestHeadScanner scanner = new RequestHeadScanner();
  private final long connectedAt = System.nanoTime();
  private ChannelHandlerContext bytes;

  private boolean firstRequest = true;
  private boolean headBytes;
  private long headSince;
  private boolean bodyPending;
  private long bodySince;
  // Requests whose head was read and whose response has not ended; whether a response is under way.
  private int unanswered;
  private boolean responding;
  private long idleSince = connectedAt;
  private boolean refusing;
  private boolean done;
  private ScheduledFuture<?> timer;
  // Removed at the upgrade: a WebSocket peer's channel keeps no reference to its guard.
  private final ChannelFutureListener onClose = f -> finish();
  private long timerDeadline;

  /**
   * @param released run once when the connection upgrades or closes (frees its {@code http_ip_limit} slot)
   */
  HttpConnectionGuard(Channel channel, EdgeTimeouts timeouts, String remote, Runnable released) {
    this.channel = channel;
    this.timeouts = timeouts;
    this.remote = remote;
    this.released = released;
  }

  /** Adds the guard around Vert.x's HTTP/1.x codec in {@code pipeline}; on the channel's event loop. */
  void install(ChannelPipeline pipeline) {
    VertxInternals.addAroundHttpCodec(pipeline, BYTES, new Bytes(), EXCHANGES, new Exchanges());
    channel.closeFuture().addListener(onClose);
    rearm();
  }

  // ---------------------------------------------------------------------------------------------
  // What the connection is waiting for, and when that wait ends

  private Wait waiting() {
    if (done || refusing) {
      return null;
    }
    if (headBytes || firstRequest && unanswered == 0) {
      return Wait.HEADER;
    }
    if (bodyPending) {
      return Wait.BODY;
    }
    return unanswered > 0 || responding ? null : Wait.IDLE;
  }

  private long deadline(Wait wait) {
    return switch (wait) {
      case HEADER -> (firstRequest ? connectedAt : headSince) + timeouts.headerNanos();
      case BODY -> bodySince + timeouts.bodyNanos();
      case IDLE -> idleSince + timeouts.idleNanos();
    };
  }

  // One timer per connection: moved earlier when a wait needs it, otherwise left to re-check when it fires.
  private void rearm() {
    Wait wait = waiting();
    if (wait == null) {
      return;
    }
    long at = deadline(wait);
    if (timer != null) {
      if (timerDeadline - at <= 0) {
        return;
      }
      timer.cancel(false);
    }
    timerDeadline = at;
    timer = channel.eventLoop().schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    Wait wait = waiting();
    if (wait == null) {
      return;
    }
    if (deadline(wait) - System.nanoTime() > 0) {
      rearm();
      return;
    }
    switch (wait) {
      case HEADER -> {
        if (headBytes) {
          refuse(HttpResponseStatus.REQUEST_TIMEOUT, "request line and headers not complete within "
              + timeouts.headerMillis() + " ms", unanswered == 0);
        } else {
          close("no request within " + timeouts.headerMillis() + " ms");
        }
      }
      case BODY -> refuse(HttpResponseStatus.REQUEST_TIMEOUT, "request body not complete within "
          + timeouts.bodyMillis() + " ms", unanswered == 1);
      case IDLE -> close("idle for " + timeouts.idleMillis() + " ms");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  private void headStarted() {
    headBytes = true;
    headSince = System.nanoTime();
    rearm();
  }

  // False when the request was refused and must not reach Vert.x.
  private boolean headRead(HttpRequest request) {
    headBytes = false;
    firstRequest = false;
    unanswered++;
    bodyPending = true;
    bodySince = System.nanoTime();
    if (request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      if (!"HTTP".equals(version.protocolName()) || version.majorVersion() != 1) {
        refuse(HttpResponseStatus.BAD_REQUEST, "unsupported protocol version " + version.text(), unanswered == 1);
        return false;
      }
      if (HttpMethod.CONNECT.equals(request.method())) {
        refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT: this server is not a proxy", unanswered == 1);
        return false;
      }
    }
    rearm();
    return true;
  }

  private void requestRead() {
    bodyPending = false;
    scanner.requestRead();
    rearm();
  }

  private void responseWritten(HttpResponse response, boolean last) {
    int status = response.status().code();
    if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
      upgraded();
    } else if (status >= 200) {
      responding = true;
      if (last) {
        responseEnded();
      }
    }
  }

  private void responseEnded() {
    if (!responding) {
      return;
    }
    responding = false;
    unanswered = Math.max(0, unanswered - 1);
    idleSince = System.nanoTime();
    rearm();
  }

  // A WebSocket (or h2c) from here on: its own protocol's liveness rules apply, not HTTP's.
  private void upgraded() {
    finish();
    channel.closeFuture().removeListener(onClose);
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(BYTES) != null) {
      pipeline.remove(BYTES);
    }
    if (pipeline.get(EXCHANGES) != null) {
      pipeline.remove(EXCHANGES);
    }
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    released.run();
  }

  // ---------------------------------------------------------------------------------------------
  // Endings

  private void close(String why) {
    LOG.fine(() -> "closed http connection from " + remote + ": " + why);
    refusing = true;
    channel.close();
  }

  // Answers with status and closes, where no other response is under way or owed; else just closes.
  private void refuse(HttpResponseStatus status, String why, boolean canRespond) {
    if (refusing) {
      return;
    }
    LOG.fine(() -> "refused http request from " + remote + ": " + status.code() + ", " + why);
    refusing = true;
    if (!canRespond || responding || bytes == null) {
      channel.close();
      return;
    }
    bytes.writeAndFlush(response(status, why)).addListener(ChannelFutureListener.CLOSE);
  }

  private static ByteBuf response(HttpResponseStatus status, String why) {
    byte[] body = (status.reasonPhrase() + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + "\r\n"
        + (status == HttpResponseStatus.METHOD_NOT_ALLOWED ? "Allow: GET, POST, OPTIONS\r\n" : "")
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body);
  }

  // ---------------------------------------------------------------------------------------------
  // The handlers

  /** Ahead of Vert.x's decoder: sees where heads start and end, and refuses folded header lines. */
  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      bytes = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf buf)) {
        ctx.fireChannelRead(msg);
        return;
      }
      while (buf.isReadable() && !refusing) {
        if (scanner.state() == RequestHeadScanner.State.AFTER_HEAD) {
          ctx.fireChannelRead(buf); // a body, or an upgraded protocol's bytes: Vert.x's to read
          return;
        }
        if (scanner.state() == RequestHeadScanner.State.BETWEEN) {
          headStarted();
        }
        int headEnd = scanner.scan(buf);
        if (scanner.folded()) {
          refuse(HttpResponseStatus.BAD_REQUEST, "folded header line (obs-fold, RFC 7230 3.2.4)", unanswered == 0);
          break;
        }
        if (headEnd < 0) {
          ctx.fireChannelRead(buf);
          return;
        }
        // The head goes to the decoder alone, so that the request is seen (and the scanner told
        // whether a body follows) before the bytes after it are looked at.
        ctx.fireChannelRead(buf.readRetainedSlice(headEnd));
      }
      buf.release();
    }
  }

  /** After Vert.x's codec: sees each request's head and end, and each response's start and end. */
  private final class Exchanges extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (refusing) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpRequest request && !headRead(request)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      boolean last = msg instanceof LastHttpContent;
      ctx.fireChannelRead(msg);
      if (last && !done) {
        requestRead();
      }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      boolean last = msg instanceof LastHttpContent;
      if (msg instanceof HttpResponse response) {
        ctx.write(msg, promise);
        responseWritten(response, last);
        return;
      }
      ctx.write(msg, promise);
      if (last) {
        responseEnded();
      }
    }
  }
}

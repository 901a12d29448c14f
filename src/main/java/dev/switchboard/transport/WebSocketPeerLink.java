package dev.switchboard.transport;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;
import dev.switchboard.routing.SignalRouter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A peer connected over a WebSocket, after the handshake. Vert.x performs the upgrade; then this link's
 * handler takes the place of Vert.x's in the channel pipeline, so a connected peer costs a Netty channel,
 * the frame codec and this object, and none of the HTTP request, response, headers and write queues
 * Vert.x keeps per WebSocket. Frames are read on the channel's event loop; {@link #send} and
 * {@link #close} may be called from any thread (writes from other threads go through the loop's
 * {@link LoopWrites}, in order).
 *
 * <p>The RFC 6455 duties Vert.x did are done here: pings are answered, a client's close is echoed before
 * the connection ends, a server close waits for the client's close (at most {@link #CLOSING_TIMEOUT_MS}),
 * fragmented messages are reassembled up to {@code max_message_size}.
 */
final class WebSocketPeerLink extends AbstractPeerLink {
  /** How long a server-initiated close waits for the client's close frame before dropping the TCP connection. */
  static final long CLOSING_TIMEOUT_MS = 10_000;
  private static final AtomicLongFieldUpdater<WebSocketPeerLink> HANDED_OVER =
      AtomicLongFieldUpdater.newUpdater(WebSocketPeerLink.class, "handedOver");

  private final Channel channel;
  private final SignalRouter router;
  private final int maxMessageSize;
  private final Runnable released;
  private final LoopWrites writes;
  private final Context context;
  // Bytes of frames other threads handed to the loop's LoopWrites and the loop has not written yet: they
  // wait for this client as much as the channel's own buffer does. A field updater on a plain field
  // costs an idle peer 8 bytes, an AtomicLong 24 more.
  private volatile long handedOver;

  // Touched only on the channel's event loop.
  private boolean flushQueued;
  private CompositeByteBuf fragments;
  private boolean skippingBinary;
  private boolean closeFrameSent;
  private boolean corruptInput;

  /**
   * @param released run once when the connection is gone (frees the client address's slot)
   */
  /**
   * @param context the Vert.x context of the server instance that accepted the connection (on the
   *     channel's event loop): frames are handled inside it, as Vert.x's own handler would, so code that
   *     looks up the current context (the cluster's batching, the XHR stream, futures) finds it
   */
  WebSocketPeerLink(Channel channel, LoopWrites writes, Context context, SignalRouter router, String id,
                    String token, String remoteAddress, int maxMessageSize, Runnable released) {
    super(id, token, remoteAddress, router.clock().millis());
    this.channel = channel;
    this.writes = writes;
    this.context = context;
    this.router = router;
    this.maxMessageSize = maxMessageSize;
    this.released = released;
  }

  /** The handler that replaces Vert.x's in the pipeline; frames reach {@link #onFrame} through it. */
  ChannelInboundHandlerAdapter handler() {
    return new Frames();
  }


  /** The connection (for tests of the pipeline). */
  Channel channel() {
    return channel;
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public boolean send(byte[] message) {
    if (isClosed()) {
      return false;
    }
    // The frame wraps the message as it is; the encoder prefixes the header. On the channel's own loop
    // the flush is merged with the others of this event-loop pass (FlushConsolidationHandler ahead of
    // this handler); from other threads the loop's LoopWrites gathers them.
    if (writes.loop().inEventLoop()) {
      if (overBuffer(handedOver + message.length)) {
        return slow();
      }
      writes.drain(); // what other threads handed over goes first
      channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)), channel.voidPromise());
    } else {
      if (overBuffer(HANDED_OVER.addAndGet(this, message.length))) {
        HANDED_OVER.addAndGet(this, -message.length);
        return slow();
      }
      writes.write(this, new TextWebSocketFrame(Unpooled.wrappedBuffer(message)));
    }
    return true;
  }

  // Bytes the client has not taken yet past send_buffer (the channel's high-water mark): those in the
  // channel's buffer plus the waiting ones. It reads slower than it is written to.
  private boolean overBuffer(long waiting) {
    return waiting > channel.bytesBeforeUnwritable();
  }

  private boolean slow() {
    router.end(this, CloseReason.SLOW_CONSUMER);
    return false;
  }

  /** Bytes other threads handed over for this client that its loop has not written yet. */
  long handedOver() {
    return handedOver;
  }

  /** A frame handed over is written or dropped: it no longer waits in the loop's queue. */
  void takenOver(WebSocketFrame frame) {
    HANDED_OVER.addAndGet(this, -frame.content().readableBytes());
  }

  /** Writes a frame another thread handed over; true when the link needs a flush at the end of the batch. */
  boolean writeOnLoop(WebSocketFrame frame) {
    takenOver(frame);
    if (!channel.isActive() || closeFrameSent) {
      // Handed over just as the link closed: nothing may follow the close frame (RFC 6455 5.5.1).
      frame.release();
      return false;
    }
    channel.write(frame, channel.voidPromise());
    if (flushQueued) {
      return false;
    }
    flushQueued = true;
    return true;
  }

  /** The flush at the end of a {@link LoopWrites} batch. */
  void flushOnLoop() {
    flushQueued = false;
    channel.flush();
  }

  @Override
  protected void doClose(CloseReason reason) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      sendClose(reason);
      return;
    }
    try {
      loop.execute(() -> sendClose(reason));
    } catch (RejectedExecutionException stopped) {
      channel.close(); // the event loop is shutting down: no close handshake any more
    }
  }

  // The notice and the close frame go after everything already written; the connection ends when the
  // client answers with its close frame, or after CLOSING_TIMEOUT_MS.
  private void sendClose(CloseReason reason) {
    if (closeFrameSent || !channel.isActive()) {
      return;
    }
    writes.drain(); // messages handed over before the close go out before the notice
    closeFrameSent = true;
    channel.config().setAutoRead(true); // a peer refused before admission was never read: read its close
    if (reason.notice() != null) {
      channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(reason.notice())), channel.voidPromise());
    }
    if (corruptInput) {
      // The frame decoder has given up on this connection: the client's close could not be read.
      channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.text())).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.text()));
    ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> channel.close(), CLOSING_TIMEOUT_MS,
        TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> timeout.cancel(false));
  }

  /** The connection is gone (either side closed it); called once, on the channel's event loop. */
  void onChannelClosed() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
    released.run();
    markClosed();
    router.disconnected(this, CloseReason.CLIENT_CLOSED);
  }

  private void onFrame(WebSocketFrame frame) {
    if (closeFrameSent) {
      // Closing: only the client's close frame matters now; what else arrives is read and dropped.
      if (frame instanceof CloseWebSocketFrame) {
        channel.close();
      }
      return;
    }
    if (frame instanceof TextWebSocketFrame) {
      skippingBinary = false;
      dropFragments();
      if (frame.isFinalFragment()) {
        onMessage(frame.content());
      } else {
        append(frame.content());
      }
    } else if (frame instanceof ContinuationWebSocketFrame) {
      if (skippingBinary || fragments == null) {
        return;
      }
      append(frame.content());
      if (fragments != null && frame.isFinalFragment()) {
        CompositeByteBuf whole = fragments;
        fragments = null;
        try {
          onMessage(whole);
        } finally {
          whole.release();
        }
      }
    } else if (frame instanceof BinaryWebSocketFrame) {
      skippingBinary = !frame.isFinalFragment();
      router.touch(this);
      router.reject(this, "binary frames are not supported; send JSON text");
    } else if (frame instanceof PingWebSocketFrame) {
      router.touch(this);
      // Pongs wait for the client like messages do: one that pings but does not read is too slow.
      if (overBuffer(handedOver + frame.content().readableBytes())) {
        slow();
        return;
      }
      channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
    } else if (frame instanceof PongWebSocketFrame) {
      router.touch(this);
    } else if (frame instanceof CloseWebSocketFrame) {
      // The client closes: echo its status code, then end the TCP connection (the server closes first).
      closeFrameSent = true;
      CloseWebSocketFrame close = (CloseWebSocketFrame) frame;
      CloseWebSocketFrame echo = close.statusCode() < 0 ? new CloseWebSocketFrame()
          : new CloseWebSocketFrame(close.statusCode(), null);
      channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void append(ByteBuf more) {
    int length = (fragments == null ? 0 : fragments.readableBytes()) + more.readableBytes();
    if (length > maxMessageSize) {
      dropFragments();
      router.frameTooBig(this);
      return;
    }
    if (fragments == null) {
      fragments = channel.alloc().compositeBuffer();
    }
    fragments.addComponent(true, more.retain());
  }

  private void dropFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  // Every text message, single-frame or reassembled, comes through here whole; the router checks it
  // (strict UTF-8, then JSON) before anything of it is relayed or queued, and ends the peer with 1007
  // when it is not UTF-8. Netty's Utf8FrameValidator is not in the pipeline: Vert.x installs the frame
  // decoder by itself, and WebSocketDecoderConfig's withUTF8Validator is only read by Netty's
  // WebSocketServerProtocolHandler, which Vert.x does not use.
  private void onMessage(ByteBuf data) {
    if (data.readableBytes() > maxMessageSize) {
      router.frameTooBig(this);
      return;
    }
    router.receive(this, ByteBufUtil.getBytes(data));
  }

  /**
   * Netty's side of the link: the last handler of the channel's pipeline. Every event is handled inside
   * the server's Vert.x context, as Vert.x's own handler would (the cluster's relay batching, the XHR
   * stream and futures look it up).
   */
  private final class Frames extends ChannelInboundHandlerAdapter {
    private final Handler<Object> read = this::read;
    private final Handler<Throwable> failure = this::failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      VertxInternals.dispatch(context, msg, read);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      VertxInternals.dispatch(context, WebSocketPeerLink.this::onChannelClosed);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (VertxInternals.isServerShutdown(event)) {
        // The HTTP server is closing (the broker is stopping): tell the peer, as for the others.
        VertxInternals.dispatch(context, () -> router.end(WebSocketPeerLink.this, CloseReason.SHUTDOWN));
      }
      ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      VertxInternals.dispatch(context, cause, failure);
    }

    private void read(Object msg) {
      try {
        if (msg instanceof WebSocketFrame) {
          onFrame((WebSocketFrame) msg);
        }
      } catch (RuntimeException e) {
        router.failed(WebSocketPeerLink.this, e);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void failed(Throwable cause) {
      if (cause instanceof CorruptedWebSocketFrameException) {
        // A protocol violation, a frame far over the limit or a close reason that is not UTF-8: the
        // decoder reads nothing more (Vert.x configures it not to close by itself), so the peer is ended
        // with 1002, 1009 or 1007 at once.
        corruptInput = true;
        CorruptedWebSocketFrameException corrupt = (CorruptedWebSocketFrameException) cause;
        int code = corrupt.closeStatus() != null ? corrupt.closeStatus().code() : 0;
        if (code == CloseReason.MESSAGE_TOO_BIG.code()) {
          router.frameTooBig(WebSocketPeerLink.this);
        } else if (code == CloseReason.INVALID_UTF8.code()) {
          router.invalidText(WebSocketPeerLink.this); // a close frame whose reason is not UTF-8
        } else {
          router.end(WebSocketPeerLink.this, CloseReason.PROTOCOL_ERROR);
        }
        return;
      }
      if (cause instanceof IOException) {
        channel.close(); // reset by the client, or a write to a closed connection: the close cleans up
        return;
      }
      router.failed(WebSocketPeerLink.this, cause);
    }
  }
}

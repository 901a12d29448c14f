package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection of a {@link StormConnector} storm, on its event loop: registered → connect → upgrade
 * request → {@code HTTP/1.1 101} → first frame {@code {"type":"OPEN"}}; after that it discards whatever
 * comes. Each connection ends exactly once, in {@link StormConnector.Storm#opened} or
 * {@link StormConnector.Storm#failed}; 30 s after the launch without OPEN is a failure.
 */
final class StormHandshake extends ChannelInboundHandlerAdapter implements ChannelFutureListener, Runnable {
  private static final byte[] OPEN = "{\"type\":\"OPEN\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATUS_101 = "HTTP/1.1 101".getBytes(StandardCharsets.US_ASCII);
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int MAX_FIRST_FRAME = 64 * 1024;
  private static final int SHOWN = 300;

  private final StormConnector.Storm storm;
  private final Channel channel;
  private final EventLoop loop;
  private final int index;
  private final long start;
  private boolean connecting;
  private boolean finished;
  // What arrived so far, while the handshake is under way.
  private ByteBuf received;
  // How many bytes of it were searched for the end of the headers.
  private int scanned;
  private ScheduledFuture<?> timeout;

  StormHandshake(StormConnector.Storm storm, Channel channel, EventLoop loop, int index, long start) {
    this.storm = storm;
    this.channel = channel;
    this.loop = loop;
    this.index = index;
    this.start = start;
  }

  // Registration, then connect: the next step, or the failure.
  @Override
  public void operationComplete(ChannelFuture future) {
    if (!future.isSuccess()) {
      fail(String.valueOf(future.cause()));
    } else if (!connecting) {
      connecting = true;
      timeout = loop.schedule(this, TIMEOUT_NANOS - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
      channel.connect(storm.server, storm.source(index)).addListener(this);
    }
  }

  // The 30 s from launch to OPEN have passed.
  @Override
  public void run() {
    timeout = null;
    fail("no OPEN within 30 s of the connect");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(storm.request(channel, index), ctx.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (finished) {
      in.release();
      return;
    }
    if (received == null) {
      received = in;
    } else {
      ByteBuf both = ctx.alloc().buffer(received.readableBytes() + in.readableBytes());
      both.writeBytes(received).writeBytes(in);
      received.release();
      in.release();
      received = both;
    }
    String failure = parse(received);
    if (failure != null) {
      fail(failure);
    } else if (finished) {
      storm.opened(index, channel, loop, System.nanoTime() - start);
    }
  }

  /**
   * Reads the 101 response and the first frame: null while more bytes are needed or once OPEN arrived
   * ({@link #finished} set), otherwise why the handshake failed.
   */
  private String parse(ByteBuf in) {
    int from = in.readerIndex();
    for (int k = 0; k < Math.min(STATUS_101.length, in.readableBytes()); k++) {
      if (in.getByte(from + k) != STATUS_101[k]) {
        return "handshake answered: " + firstLine(in);
      }
    }
    int body = headersEnd(in);
    if (body < 0) {
      return null;
    }
    String failure = firstFrame(in, body);
    if (failure == null && finished) {
      release();
    }
    return failure;
  }

  // Where the bytes after the headers' CRLF CRLF start; -1 while it has not arrived.
  private int headersEnd(ByteBuf in) {
    int from = in.readerIndex();
    int end = in.writerIndex();
    for (int k = from + Math.max(3, scanned); k < end; k++) {
      if (in.getByte(k) == '\n' && in.getByte(k - 1) == '\r' && in.getByte(k - 2) == '\n' && in.getByte(k - 3) == '\r') {
        return k + 1;
      }
    }
    scanned = end - from;
    return -1;
  }

  // The server's first frame at body (RFC 6455 §5.2: unmasked, 7-, 16- or 64-bit length); sets finished on OPEN.
  private String firstFrame(ByteBuf in, int body) {
    int available = in.writerIndex() - body;
    if (available < 2) {
      return null;
    }
    int b0 = in.getUnsignedByte(body);
    int b1 = in.getUnsignedByte(body + 1);
    if ((b1 & 0x80) != 0) {
      return "first frame from the server is masked";
    }
    int header = 2;
    long length = b1 & 0x7F;
    if (length == 126) {
      header = 4;
      if (available < header) {
        return null;
      }
      length = in.getUnsignedShort(body + 2);
    } else if (length == 127) {
      header = 10;
      if (available < header) {
        return null;
      }
      length = in.getLong(body + 2);
    }
    if (length < 0 || length > MAX_FIRST_FRAME) {
      return "first frame has " + Long.toUnsignedString(length) + " bytes of payload";
    }
    if (available - header < length) {
      return null;
    }
    String failure = notOpen(in, b0, body + header, (int) length);
    finished = failure == null;
    return failure;
  }

  // Why the complete frame is not a final text frame {"type":"OPEN"}; null when it is.
  private static String notOpen(ByteBuf in, int b0, int payload, int length) {
    if ((b0 & 0x70) != 0) {
      return "first frame has RSV bits " + Integer.toBinaryString(b0 >> 4 & 7) + " (an extension was accepted)";
    }
    if ((b0 & 0x0F) == 0x8) {
      return "closed before OPEN: close frame " + (length >= 2 ? in.getUnsignedShort(payload) + " "
          + in.toString(payload + 2, Math.min(length - 2, SHOWN), StandardCharsets.UTF_8) : "without status");
    }
    boolean open = b0 == 0x81 && length == OPEN.length;
    for (int k = 0; open && k < OPEN.length; k++) {
      open = in.getByte(payload + k) == OPEN[k];
    }
    return open ? null : "first message was not OPEN: opcode " + (b0 & 0x0F) + (b0 < 0x80 ? " (not final) " : " ")
        + in.toString(payload, Math.min(length, SHOWN), StandardCharsets.UTF_8);
  }

  private static String firstLine(ByteBuf in) {
    int from = in.readerIndex();
    int eol = in.indexOf(from, Math.min(in.writerIndex(), from + SHOWN), (byte) '\r');
    return in.toString(from, eol < 0 ? Math.min(in.readableBytes(), SHOWN) : eol - from, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!finished) {
      fail("closed before OPEN" + (received == null ? "" : " after " + received.readableBytes() + " bytes: "
          + received.toString(received.readerIndex(), Math.min(received.readableBytes(), SHOWN),
              StandardCharsets.ISO_8859_1).replace("\r\n", " | ")));
    }
    release();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(String.valueOf(cause));
    ctx.close();
  }

  private void fail(String why) {
    if (finished) {
      return;
    }
    finished = true;
    release();
    channel.close();
    storm.failed(loop, why);
  }

  private void release() {
    if (received != null) {
      received.release();
      received = null;
    }
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }
}

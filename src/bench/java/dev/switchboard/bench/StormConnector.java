package dev.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The connect storm's load generator: PeerJS WebSocket handshakes on plain Netty (epoll), a few event
 * loops and source addresses 127.0.0.2, .3 … like {@link LoadClient}, but with the least work per
 * connection, so that the generator's CPU does not bound the opens per second it measures.
 *
 * <p>Per connection it writes the same upgrade request bytes as {@link LoadClient}'s Vert.x client,
 * requires {@code HTTP/1.1 101}, parses the server's first frame and requires {@code {"type":"OPEN"}}.
 * After that the connection stays open and idle (whatever arrives is discarded) until {@link #closeAll}.
 */
final class StormConnector implements AutoCloseable {
  private static final char[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
      + " Chrome/142.0.0.0 Safari/537.36";

  private final EventLoopGroup group;
  private final EventLoop[] loops;
  private final InetSocketAddress[] sources;
  private final boolean epoll;

  StormConnector(int loops, int addresses) {
    epoll = Epoll.isAvailable();
    if (!epoll) {
      System.err.println("bench: epoll not available, the connect storm generator uses NIO: " + Epoll.unavailabilityCause());
    }
    group = new MultiThreadIoEventLoopGroup(loops, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.loops = new EventLoop[loops];
    for (int i = 0; i < loops; i++) {
      this.loops[i] = group.next();
    }
    sources = new InetSocketAddress[addresses];
    for (int i = 0; i < addresses; i++) {
      sources[i] = new InetSocketAddress("127.0.0." + (2 + i), 0);
    }
  }

  /** Result of opening many connections: the open ones, and how many failed and why the first did. */
  record Opened(List<Channel> channels, int failures, String firstFailure) {
  }

  /**
   * Opens a connection for each of {@code ids} with at most {@code concurrency} handshakes in flight;
   * connection i goes out from source address (i / loops) mod addresses, as with {@link LoadClient#connectAll}.
   * Each event loop keeps its share of the handshakes in flight: a finished one launches the next on
   * the same loop, so no connection costs a cross-thread wake-up. {@code onOpen} sees each connect-to-OPEN time in ns.
   */
  Opened connectAll(int port, List<String> ids, Function<String, String> token, int concurrency, LongConsumer onOpen)
      throws InterruptedException {
    Storm storm = new Storm(port, ids, token, onOpen);
    for (int i = 0; i < Math.min(concurrency, ids.size()); i++) {
      storm.launchNext(loops[i % loops.length]);
    }
    if (!storm.done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("connecting " + ids.size() + " peers did not finish in 10 minutes");
    }
    List<Channel> open = new ArrayList<>();
    for (Channel channel : storm.channels) {
      if (channel != null) {
        open.add(channel);
      }
    }
    return new Opened(open, storm.failures.get(), storm.firstFailure);
  }

  /**
   * Sends each connection a masked close frame (1000) and waits, at most 60 s in all, until the
   * servers closed them (RFC 6455 §7.1.1: the server closes TCP first); a connection the server has
   * not closed 10 s after the close frame is closed from here.
   */
  static void closeAll(List<Channel> channels) {
    CountDownLatch closed = new CountDownLatch(channels.size());
    for (Channel channel : channels) {
      channel.closeFuture().addListener(f -> closed.countDown());
      channel.eventLoop().execute(() -> {
        if (channel.isActive()) {
          channel.writeAndFlush(closeFrame(channel), channel.voidPromise());
          ScheduledFuture<?> force = channel.eventLoop().schedule(() -> channel.close(), 10, TimeUnit.SECONDS);
          channel.closeFuture().addListener(f -> force.cancel(false));
        } else {
          channel.close();
        }
      });
    }
    try {
      if (!closed.await(60, TimeUnit.SECONDS)) {
        System.err.println("bench: " + closed.getCount() + " connections not closed within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // FIN + close, masked, 2 bytes of payload: status 1000 (normal closure).
  private static ByteBuf closeFrame(Channel channel) {
    int mask = ThreadLocalRandom.current().nextInt();
    return channel.alloc().buffer(8).writeByte(0x88).writeByte(0x80 | 2).writeInt(mask)
        .writeShort(1000 ^ (mask >>> 16));
  }

  @Override
  public void close() throws InterruptedException {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** One {@link #connectAll}: what every connection shares, and the count of finished ones. */
  final class Storm {
    final InetSocketAddress server;
    final List<String> ids;
    final Function<String, String> token;
    final LongConsumer onOpen;
    final Channel[] channels;
    final CountDownLatch done;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    // The request around the id, the token and the Sec-WebSocket-Key, byte for byte what LoadClient's
    // Vert.x client sends (Vert.x writes its own headers in lower case after the ones given to it).
    final byte[] requestStart = ascii("GET /peerjs?key=peerjs&id=");
    final byte[] requestToken = ascii("&token=");
    final byte[] requestKey;
    final byte[] requestEnd = ascii("\r\nsec-websocket-version: 13\r\nsec-websocket-extensions: permessage-deflate\r\n\r\n");
    String firstFailure;

    Storm(int port, List<String> ids, Function<String, String> token, LongConsumer onOpen) {
      this.server = new InetSocketAddress("127.0.0.1", port);
      this.ids = ids;
      this.token = token;
      this.onOpen = onOpen;
      channels = new Channel[ids.size()];
      done = new CountDownLatch(ids.size());
      requestKey = ascii("&version=1.5.5 HTTP/1.1\r\n"
          + "Origin: http://127.0.0.1:8080\r\n"
          + "User-Agent: " + BROWSER + "\r\n"
          + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
          + "Accept-Language: en-US,en;q=0.9\r\n"
          + "Cache-Control: no-cache\r\n"
          + "Pragma: no-cache\r\n"
          + "host: 127.0.0.1:" + port + "\r\n"
          + "upgrade: websocket\r\n"
          + "connection: upgrade\r\n"
          + "sec-websocket-key: ");
    }

    void launchNext(EventLoop loop) {
      int i = next.getAndIncrement();
      if (i >= ids.size()) {
        return;
      }
      SocketChannel channel = epoll ? new EpollSocketChannel() : new NioSocketChannel();
      channel.config().setTcpNoDelay(true);
      if (channel instanceof EpollSocketChannel e) {
        // The port is chosen at connect(2) for the whole 4-tuple, not at bind(2) for the address alone.
        e.config().setIpBindAddressNoPort(true);
      }
      StormHandshake handshake = new StormHandshake(this, channel, loop, i, System.nanoTime());
      channel.pipeline().addLast(handshake);
      loop.register(channel).addListener(handshake);
    }

    void opened(int i, Channel channel, EventLoop loop, long nanos) {
      channels[i] = channel;
      onOpen.accept(nanos);
      finished(loop);
    }

    void failed(EventLoop loop, String why) {
      failures.incrementAndGet();
      synchronized (this) {
        if (firstFailure == null) {
          firstFailure = why;
        }
      }
      finished(loop);
    }

    private void finished(EventLoop loop) {
      done.countDown();
      launchNext(loop);
    }

    ByteBuf request(Channel channel, int i) {
      String id = ids.get(i);
      String t = token.apply(id);
      ByteBuf out = channel.alloc().directBuffer(requestStart.length + id.length() + requestToken.length
          + t.length() + requestKey.length + 24 + requestEnd.length);
      out.writeBytes(requestStart);
      ByteBufUtil.writeAscii(out, id);
      out.writeBytes(requestToken);
      ByteBufUtil.writeAscii(out, t);
      out.writeBytes(requestKey);
      writeKey(out);
      out.writeBytes(requestEnd);
      return out;
    }

    // A random Sec-WebSocket-Key: the base64 of 16 bytes is 21 characters of 6 random bits, one of 2
    // (its low 4 bits are zero: "A", "Q", "g" or "w") and "==".
    private void writeKey(ByteBuf out) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long bits = random.nextLong();
      for (int c = 0; c < 21; c++) {
        if (c == 10) {
          bits = random.nextLong();
        }
        out.writeByte(BASE64[(int) (bits & 63)]);
        bits >>>= 6;
      }
      out.writeByte(BASE64[random.nextInt(4) << 4]).writeByte('=').writeByte('=');
    }

    InetSocketAddress source(int i) {
      return sources[(i / loops.length) % sources.length];
    }
  }
}

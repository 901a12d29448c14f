package dev.switchboard.support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A client of the XHR endpoints speaking HTTP by hand: opens streams and polls whose lines it queues,
 * and posts messages. Like {@link TestPeer}, tests take what arrived in order and wait with a deadline.
 */
public final class XhrPeer implements AutoCloseable {
  private final HttpClient client;
  private final int port;
  private final String base;
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

  private XhrPeer(Vertx vertx, HttpClientOptions options, String base) {
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(32));
    this.port = options.getDefaultPort();
    this.base = base;
  }

  /** A client for {@code /{key}/{id}/{token}} under {@code /}. */
  public static XhrPeer of(Vertx vertx, int port, String key, String id, String token) {
    return new XhrPeer(vertx, new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        "/" + key + "/" + id + "/" + token);
  }

  /** A client for {@code {path}{key}/{id}/{token}} on the server {@code options} name (TLS, a proxy). */
  public static XhrPeer at(Vertx vertx, HttpClientOptions options, String path, String key, String id, String token) {
    return new XhrPeer(vertx, options, path + key + "/" + id + "/" + token);
  }

  /** Sends {@code name: value} with every request from now on (Origin, X-Forwarded-For). */
  public XhrPeer header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  public static XhrPeer of(Vertx vertx, int port, String id) {
    return of(vertx, port, "peerjs", id, "token-" + id);
  }

  /** One open response, read line by line as it arrives. */
  public static final class Stream {
    public final int status;
    public final String contentType;
    private final HttpClientResponse response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    private Stream(HttpClientResponse response) {
      this.response = response;
      this.status = response.statusCode();
      this.contentType = response.getHeader("Content-Type");
      response.handler(this::onData);
      response.endHandler(v -> ended.complete(null));
      response.exceptionHandler(ended::completeExceptionally);
    }

    private synchronized void onData(Buffer data) {
      partial.append(data.toString(StandardCharsets.UTF_8));
      int newline;
      while ((newline = partial.indexOf("\n")) >= 0) {
        // A legacy stream may put a space before a line (see XhrStream); JSON.parse ignores it.
        lines.add(partial.substring(0, newline).stripLeading());
        partial.delete(0, newline + 1);
      }
    }

    /** The next complete line, waiting up to {@link TestPeer#WAIT}. */
    public String nextLine() {
      try {
        String line = lines.poll(TestPeer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(line, "no line within " + TestPeer.WAIT);
        return line;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Takes every complete line that has arrived, without waiting. */
    public java.util.List<String> linesSoFar() {
      java.util.List<String> taken = new java.util.ArrayList<>();
      lines.drainTo(taken);
      return taken;
    }

    /** Reads past the padding line and returns the one after it. */
    public String firstMessage() {
      String padding = nextLine();
      if (!padding.matches("0{2048}")) {
        throw new AssertionError("first line is not the padding: " + padding);
      }
      return nextLine();
    }

    /** Checks no line arrives within {@code ms} (after something that would have come first). */
    public void expectNothing(long ms) {
      try {
        assertNull(lines.poll(ms, TimeUnit.MILLISECONDS), "unexpected line");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Waits for the server to end the response; returns what was left unterminated. */
    public String awaitEnd() {
      try {
        ended.get(TestPeer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("response not ended within " + TestPeer.WAIT, e);
      }
      synchronized (this) {
        return partial.toString().strip();
      }
    }

    public boolean isEnded() {
      return ended.isDone();
    }

    /** Drops the connection, as a browser does when it aborts the XHR. */
    public void abort() {
      Await.result(response.request().connection().close());
    }
  }

  /** {@code POST .../id?{query}}, once the status line and headers arrived. */
  public Stream stream(String query) {
    return Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(base + "/id?" + query)
            .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers)))
        .compose(request -> {
          // Handlers go on in the callback that delivers the response, before any of its body is read:
          // a later callback may find a short answer (403, 503) already ended.
          Future<Stream> stream = request.response().map(Stream::new);
          request.end();
          return stream;
        }));
  }

  /**
   * Opens streams until one answers OPEN, and returns that line: for an {@code ip_limit} slot just given
   * back, which the broker does once the previous peer's last line is written, a moment after its client
   * may have read it. Retries only while refused by a limit.
   */
  public String openWhenFree(String query) {
    long deadline = System.currentTimeMillis() + TestPeer.WAIT.toMillis();
    while (true) {
      String first = stream(query).firstMessage();
      if (!first.contains("has reached its concurrent user limit") && !first.equals("{\"type\":\"HTTP-ERROR\"}")
          || System.currentTimeMillis() > deadline) {
        return first;
      }
    }
  }

  /** A reply to a message POST. */
  public record Reply(int status, String body) {
  }

  /** {@code POST .../{type}} with {@code body}. */
  public Reply post(String type, String body) {
    return postTo(base + "/" + type, body);
  }

  /** {@code POST .../{type}} with {@code body} as bytes (for bodies that are not UTF-8). */
  public Reply post(String type, byte[] body) {
    return postTo(base + "/" + type, Buffer.buffer(body));
  }

  public Reply postTo(String uri, String body) {
    return postTo(uri, Buffer.buffer(body));
  }

  private Reply postTo(String uri, Buffer body) {
    return Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
            .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers)).putHeader("Content-Type", "application/json"))
        .compose(request -> {
          // Asked for before the request goes out, so the body is read in the callback that delivers
          // the response; a later callback may find it already gone (pooled connections answer fast).
          Future<Reply> reply = request.response()
              .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())));
          request.end(body);
          return reply;
        }));
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    client.close();
  }
}

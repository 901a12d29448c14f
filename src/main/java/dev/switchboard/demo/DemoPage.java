package dev.switchboard.demo;

import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.switchboard.auth.AuthSettings.AUTH;
import static dev.switchboard.config.ServerSettings.KEY;
import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.demo.DemoSettings.DEMO;
import static dev.switchboard.rooms.RoomSettings.ROOM_MAX_CAPACITY;

/**
 * The try-it page of {@code --demo} (docs/demo.md): a fixed list of files read from the jar once, served
 * at {@code /demo/} on the public port, outside {@code --path} so PeerServer's API is untouched. Nothing
 * else is served: no directory listing, no file system, no request reaches a file not on the list. The
 * one generated file, {@code config.json}, tells the page where the broker's API is; it is made once at
 * start-up from the options, and never holds a key other than PeerServer's public default.
 */
public final class DemoPage {
  /** Where the page is served, whatever {@code --path} is. */
  public static final String ROOT = "/demo/";

  /** The files served, by their name under {@link #ROOT} (and under {@code demo/} in the jar). */
  static final Map<String, String> FILES = files();

  // Only this origin's scripts, styles and sockets; camera streams are blob:/mediastream: sources.
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self' data:; media-src 'self' blob: mediastream:; base-uri 'none'; "
      + "form-action 'none'; frame-ancestors 'none'";

  private static final String JS = "text/javascript; charset=utf-8";
  private static final String DEFAULT_KEY = "peerjs";

  private final Map<String, byte[]> contents;
  private final byte[] config;

  private DemoPage(Map<String, byte[]> contents, byte[] config) {
    this.contents = contents;
    this.config = config;
  }

  /**
   * Reads the page's files when {@code --demo} is on.
   *
   * @throws IllegalStateException when a file is missing from the jar (a build without its resources)
   */
  public static DemoPage load(SwitchboardOptions options) {
    if (!options.get(DEMO)) {
      return new DemoPage(Map.of(), null);
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (String name : FILES.keySet()) {
      contents.put(name, resource(name));
    }
    return new DemoPage(Map.copyOf(contents), config(options).encodePrettily().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code --demo} is on. */
  public boolean enabled() {
    return config != null;
  }

  /** Adds {@code GET /demo/…} to the public port's {@code router} (nothing without {@code --demo}). */
  public void mount(Router router) {
    if (!enabled()) {
      return;
    }
    router.get(ROOT).handler(ctx -> send(ctx, "text/html; charset=utf-8", contents.get("index.html")));
    // The page's URLs are relative: at "/demo" it would load "/demo.js". (Vert.x Web matches this route to
    // "/demo/" as well, so it comes after the page.)
    router.get(ROOT.substring(0, ROOT.length() - 1))
        .handler(ctx -> ctx.response().setStatusCode(301).putHeader("Location", ROOT).end());
    FILES.forEach((name, type) -> router.get(ROOT + name).handler(ctx -> send(ctx, type, contents.get(name))));
    router.get(ROOT + "config.json").handler(ctx -> send(ctx, "application/json; charset=utf-8", config));
  }

  /** What the page needs to reach the broker. */
  static JsonObject config(SwitchboardOptions options) {
    String key = options.get(KEY);
    return new JsonObject()
        .put("path", options.get(PATH))
        // A key of the operator's own is not handed to whoever opens the page: the page asks for it.
        .put("key", DEFAULT_KEY.equals(key) ? key : null)
        .put("auth", options.get(AUTH))
        .put("lobbyCapacity", options.get(ROOM_MAX_CAPACITY));
  }

  private static void send(RoutingContext ctx, String type, byte[] body) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .end(Buffer.buffer(body));
  }

  private static byte[] resource(String name) {
    String path = "demo/" + name;
    try (InputStream in = DemoPage.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("--demo: " + path + " is missing from the jar; rebuild it with mvn package");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("--demo: cannot read " + path, e);
    }
  }

  private static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", "text/html; charset=utf-8");
    files.put("demo.js", JS);
    files.put("demo.css", "text/css; charset=utf-8");
    files.put("switchboard.js", JS);                    // peerjs-patches/switchboard.js, copied by the build
    files.put("vendor/peerjs.min.js", JS);              // PeerJS 1.5.5 from npm, unmodified
    files.put("vendor/LICENSE-peerjs.txt", "text/plain; charset=utf-8");
    return Collections.unmodifiableMap(files);
  }
}

package dev.switchboard.demo;

import static dev.switchboard.demo.DemoSettings.DEMO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.Switchboard;
import dev.switchboard.config.InvalidSetting;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --demo} over plain HTTP: the page and its fixed files at {@code /demo/} only when asked for, PeerServer's
 * API under {@code --path} unchanged beside it, nothing off the list served, and the shipped copies of PeerJS and
 * the add-on being what they claim to be.
 */
@ExtendWith(VertxExtension.class)
class DemoPageTest {

  /** sha256 of npm's peerjs@1.5.5 package/dist/peerjs.min.js. */
  private static final String PEERJS_155_SHA256 = "7604d8c31bec4f134b0d15c2d80b1d095ea18af005354f439f14291fcd7b4168";
  private static final int PEERJS_HEADER_LINES = 3;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PEERSERVER_NAME = "PeerJS Server";

  private Switchboard broker;

  @AfterEach
  void stop() {
    if (broker != null) {
      Await.result(broker.close());
    }
  }

  @Test
  void withoutDemoThereIsNoPageAndPeerServerAnswersAsBefore(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options());
    assertEquals(404, get("/demo/").statusCode());
    assertEquals(404, get("/demo/vendor/peerjs.min.js").statusCode());
    assertEquals(404, get("/demo/config.json").statusCode());
    assertEquals(PEERSERVER_NAME, new JsonObject(get("/").body()).getString("name"));
  }

  @Test
  void withDemoThePageItsFilesAndPeerServerAreServed(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().set(DEMO, true));
    HttpResponse<String> page = get("/demo/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
    assertEquals(DemoPage.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""));
    for (String script : new String[] {"vendor/peerjs.min.js", "switchboard.js", "demo.js"}) {
      assertTrue(page.body().contains("<script src=\"" + script + "\"></script>"), script + " in " + page.body());
    }
    for (Map.Entry<String, String> file : DemoPage.FILES.entrySet()) {
      HttpResponse<String> answer = get("/demo/" + file.getKey());
      assertEquals(200, answer.statusCode(), file.getKey());
      assertEquals(file.getValue(), answer.headers().firstValue("Content-Type").orElse(""), file.getKey());
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), file.getKey());
    }
    HttpResponse<String> bare = get("/demo");
    assertEquals(301, bare.statusCode());
    assertEquals("/demo/", bare.headers().firstValue("Location").orElse(""));
    assertEquals(new JsonObject().put("path", "/").put("key", "peerjs").put("auth", "none").put("lobbyCapacity", 16),
        new JsonObject(get("/demo/config.json").body()));
    assertEquals(PEERSERVER_NAME, new JsonObject(get("/").body()).getString("name"));
    assertEquals(200, get("/peerjs/id").statusCode());
  }

  @Test
  void theDemoStaysAtTheRootWhateverThePathAndKeepsAnOwnKeyToItself(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().setPath("/myapp").setKey("s3cret-key").set(DEMO, true));
    assertEquals(200, get("/demo/").statusCode());
    assertEquals(PEERSERVER_NAME, new JsonObject(get("/myapp/").body()).getString("name"));
    assertEquals(200, get("/myapp/s3cret-key/id").statusCode());
    JsonObject config = new JsonObject(get("/demo/config.json").body());
    assertEquals("/myapp/", config.getString("path"));
    assertTrue(config.containsKey("key"), config.encode());
    assertNull(config.getString("key"), config.encode());
    assertTrue(!get("/demo/config.json").body().contains("s3cret-key"));
  }

  @Test
  void underAuthThePageIsToldToAskForAToken(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().setAuth("jwt").setJwtSecret(Tokens.SECRET).set(DEMO, true));
    assertEquals("jwt", new JsonObject(get("/demo/config.json").body()).getString("auth"));
    assertEquals(200, get("/demo/").statusCode());
  }

  @Test
  void nothingOffTheListIsServed(Vertx vertx) {
    broker = Brokers.start(vertx, Brokers.options().set(DEMO, true));
    for (String path : new String[] {"/demo/vendor/", "/demo/logging.properties", "/demo/vendor/peerjs.min.js.map",
        "/demo/../pom.xml", "/demo/%2e%2e/pom.xml", "/demo/vendor/..%2f..%2flogging.properties", "/demo/index.htm",
        "/demo/dev/switchboard/Main.class", "/demo.js"}) {
      int status = get(path).statusCode();
      // 405: a GET of four segments is PeerServer 0.x's XHR route (POST only) under the default --path.
      assertTrue(status == 404 || status == 405, path + " answered " + status);
    }
  }

  @Test
  void aPathUnderTheDemoIsRefusedAtStartUp() {
    InvalidSetting refused = assertThrows(InvalidSetting.class,
        () -> new SwitchboardOptions().setPath("/demo/").set(DEMO, true).validate());
    assertTrue(refused.getMessage().contains("demo"), refused.getMessage());
    assertThrows(InvalidSetting.class, () -> new SwitchboardOptions().setPath("/demo/x").set(DEMO, true).validate());
    new SwitchboardOptions().setPath("/demo/").validate(); // without --demo the path is free
    new SwitchboardOptions().setPath("/demonstration/").set(DEMO, true).validate();
  }

  @Test
  void theShippedAddOnIsPeerjsPatchesOwnFile() throws IOException {
    byte[] source = Files.readAllBytes(Path.of("peerjs-patches", "switchboard.js"));
    assertArrayEquals(source, resource("switchboard.js"), "target/classes/demo/switchboard.js is not the add-on");
  }

  @Test
  void theShippedPeerJsIsNpmsUnmodifiedBelowItsLicenseComment() throws IOException {
    byte[] vendored = resource("vendor/peerjs.min.js");
    String text = new String(vendored, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("/*! PeerJS 1.5.5"), "no license comment first");
    int cut = 0;
    for (int line = 0; line < PEERJS_HEADER_LINES; line++) {
      cut = text.indexOf('\n', cut) + 1;
    }
    assertEquals(PEERJS_155_SHA256, sha256(Arrays.copyOfRange(vendored, cut, vendored.length)));
    String license = new String(resource("vendor/LICENSE-peerjs.txt"), StandardCharsets.UTF_8);
    for (String notice : new String[] {"Michelle Bu and Eric Zhang", "Arnout Kazemier", "The WebRTC project authors",
        "Philipp Hancke", "binaryjs.com"}) {
      assertTrue(license.contains(notice), notice);
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      // The path goes on the wire as written (dot segments included): the JDK client does not normalize it.
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.actualPort() + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (var in = DemoPage.class.getClassLoader().getResourceAsStream("demo/" + name)) {
      assertTrue(in != null, "demo/" + name + " is not on the classpath");
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}

package dev.switchboard;

import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as an operator runs it: {@code java -jar target/switchboard.jar [flags]}. */
class MainProcessIT {
  private static final Pattern LISTENING = Pattern.compile("listening on http://([^:]+):(\\d+)(/\\S*)");
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static ProcessBuilder jar(String... args) {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    assertTrue(Files.exists(Path.of(jar)), "missing " + jar + " (run mvn package first)");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private record Result(int status, String out, String err) {
  }

  private static Result run(String... args) throws Exception {
    Process process = jar(args).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not exit");
    return new Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void helpListsFlagsAndExitsZero() throws Exception {
    Result result = run("--help");
    assertEquals(0, result.status());
    assertTrue(result.out().contains("--expire_timeout"), result.out());
    assertTrue(result.out().contains("--concurrent_limit"), result.out());
  }

  @Test
  void badFlagsExitTwoWithAMessage() throws Exception {
    Result unknown = run("--no-such-flag");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("Unknown option: '--no-such-flag'"), unknown.err());
    Result half = run("--sslkey", "key.pem");
    assertEquals(2, half.status());
    assertTrue(half.err().contains("sslkey and sslcert go together"), half.err());
    Result value = run("--port", "many");
    assertEquals(2, value.status());
    assertTrue(value.err().contains("--port"), value.err());
  }

  private static Matcher awaitListening(Process process) throws IOException {
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = output.readLine()) != null; ) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("no listening line in:\n" + seen);
  }

  @Test
  void portAndPathComeFromPeerServersEnvironmentVariables() throws Exception {
    ProcessBuilder builder = jar("--host", "127.0.0.1").redirectErrorStream(true);
    builder.environment().put("PORT", "0");
    builder.environment().put("PEERSERVER_PATH", "/fromenv");
    Process process = builder.start();
    try {
      Matcher listening = awaitListening(process);
      assertEquals("/fromenv/", listening.group(3));
      assertTrue(Integer.parseInt(listening.group(2)) > 0);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void jsonLogsOneLinePerConnectionEventWithoutTokensAndDrainsOnSigint() throws Exception {
    Process process = jar("--host", "127.0.0.1", "--port", "0", "--log_format", "json", "--drain_timeout", "5000")
        .redirectErrorStream(true).start();
    try {
      BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      for (String line; port < 0 && (line = output.readLine()) != null; ) {
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(line);
        Matcher m = Pattern.compile(":(\\d+)/").matcher(json.getString("message"));
        if (json.getString("message").contains("listening on") && m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "no listening line");
      try (TestPeer alice = TestPeer.connectRaw(vertx, port, "/", "key=peerjs&id=alice&token=secret-token-1")) {
        // The 101 can reach the client before the broker admitted alice; the thief comes after OPEN.
        alice.expectType("OPEN");
        try (TestPeer thief = TestPeer.connectRaw(vertx, port, "/", "key=peerjs&id=alice&token=secret-token-2")) {
          thief.expectType("ID-TAKEN");
        }
        process.getOutputStream().close();
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
        alice.expectError("Server is restarting, please reconnect");
      }
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGINT");
      assertEquals(0, process.exitValue());
      List<io.vertx.core.json.JsonObject> lines = new ArrayList<>();
      StringBuilder all = new StringBuilder();
      for (String line; (line = output.readLine()) != null; ) {
        all.append(line).append('\n');
        lines.add(new io.vertx.core.json.JsonObject(line)); // every line is JSON
      }
      assertTrue(lines.stream().anyMatch(l -> "connected".equals(l.getString("event")) && "alice".equals(l.getString("peer"))
          && "websocket".equals(l.getString("transport")) && "127.0.0.1".equals(l.getString("address"))), all.toString());
      assertTrue(lines.stream().anyMatch(l -> "refused".equals(l.getString("event")) && "id_taken".equals(l.getString("reason"))), all.toString());
      assertTrue(lines.stream().anyMatch(l -> "disconnected".equals(l.getString("event")) && "restart".equals(l.getString("reason"))), all.toString());
      assertFalse(all.toString().contains("secret-token"), "tokens are never logged");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void settingsFoundBadAtStartExitTwoNamingTheSettingAndItsSource() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Result inUse = run("--host", "127.0.0.1", "--port", String.valueOf(port));
      assertEquals(2, inUse.status(), inUse.err());
      assertTrue(inUse.err().contains("Invalid port from the command line (--port): 127.0.0.1:" + port
          + " is already in use"), inUse.err());
    }
    Path dir = Files.createTempDirectory("switchboard-tls");
    Path key = Files.copy(Path.of(io.vertx.core.net.SelfSignedCertificate.create("one.example").privateKeyPath()),
        dir.resolve("key.pem"));
    Path cert = Files.copy(Path.of(io.vertx.core.net.SelfSignedCertificate.create("two.example").certificatePath()),
        dir.resolve("cert.pem"));
    Result mismatch = run("--host", "127.0.0.1", "--port", "0", "--sslkey", key.toString(), "--sslcert", cert.toString());
    assertEquals(2, mismatch.status(), mismatch.err());
    assertTrue(mismatch.err().contains("Invalid sslkey from the command line (--sslkey): the private key in " + key
        + " does not match the certificate in " + cert), mismatch.err());
    ProcessBuilder badPort = jar("--host", "127.0.0.1");
    badPort.environment().put("PORT", "abc");
    Process process = badPort.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not exit");
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), err);
    assertTrue(err.contains("Invalid port from the environment (PORT)"), err);
  }

  @Test
  void printConfigMasksTheKey() throws Exception {
    Result result = run("--key", "hunter2", "--ip_limit", "9", "--print-config");
    assertEquals(0, result.status(), result.err());
    assertTrue(result.out().contains("\"ip_limit\" : 9"), result.out());
    assertFalse(result.out().contains("hunter2"), result.out());
  }

  @Test
  void startsLogsWhereItListensServesAndStopsOnSigterm() throws Exception {
    Process process = jar("--host", "127.0.0.1", "--port", "0", "--path", "/calls").redirectErrorStream(true).start();
    try {
      Matcher listening = awaitListening(process);
      assertEquals("127.0.0.1", listening.group(1));
      assertEquals("/calls/", listening.group(3));
      int port = Integer.parseInt(listening.group(2));
      try (TestPeer alice = TestPeer.connectRaw(vertx, port, "/calls/", "key=peerjs&id=alice&token=t")) {
        alice.expectType("OPEN");
        // Main wires Prometheus metrics into Vert.x: broker, Vert.x and JVM series at the root.
        String metrics = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("switchboard_peers_connected{transport=\"websocket\"} 1.0"), metrics);
        assertTrue(metrics.contains("vertx_pool_"), metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
        process.destroy(); // SIGTERM
        alice.expectError("Server is restarting, please reconnect");
        assertEquals((short) 1012, alice.awaitClose().code());
      }
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "did not stop on SIGTERM");
      assertEquals(0, process.exitValue(), "a graceful stop exits 0");
    } finally {
      process.destroyForcibly();
    }
  }
}

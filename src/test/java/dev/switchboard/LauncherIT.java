package dev.switchboard;

import dev.switchboard.support.BrokerProcess;
import dev.switchboard.support.Command;
import dev.switchboard.support.PomVersion;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher {@code mvn package} puts next to the jar ({@code target/switchboard}, from
 * src/main/dist/switchboard): the JVM settings it starts the broker with, how an operator changes them,
 * and that it finds its jar however it is called; and that {@code java -jar} without JVM flags still
 * works but says once that it runs with the JVM's defaults.
 */
class LauncherIT {
  /** The launcher's defaults, as docs/deploy.md ("JVM settings") lists them. */
  static final List<String> DEFAULTS = List.of("-XX:+UseParallelGC", initialHeap(), "-Xmn48m",
      "-XX:MaxRAMPercentage=75", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");

  // The launcher asks for a 256 MiB initial heap where the heap may reach it: as the JVM itself sizes
  // the heap from this machine's (and this cgroup's) memory, asked here independently of the script.
  private static String initialHeap() {
    Command.Result flags = Command.run(Path.of("."), Duration.ofSeconds(30),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseParallelGC",
        "-XX:MaxRAMPercentage=75", "-XX:+PrintFlagsFinal", "-version");
    Matcher max = Pattern.compile("MaxHeapSize\\s+=\\s+(\\d+)").matcher(flags.output());
    if (!max.find()) {
      throw new AssertionError(flags.describe("printed no MaxHeapSize"));
    }
    return Long.parseLong(max.group(1)) >= 256L * 1024 * 1024 ? "-Xms256m" : "-Xms64m";
  }

  static final Path LAUNCHER = PomVersion.basedir().resolve("target/switchboard");
  private static final Path JAR = PomVersion.basedir().resolve("target/switchboard.jar");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  /** The launcher's command with a clean environment for the JVM flags and JAVA_HOME this test's JDK. */
  static ProcessBuilder launcher(Path script, String... args) {
    assertTrue(Files.isExecutable(script), "missing " + script + " (run mvn package first)");
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    for (String variable : List.of("JAVA_OPTS", "SWITCHBOARD_JVM_DEFAULTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS")) {
      env.remove(variable);
    }
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return builder;
  }

  private static List<String> commandLine(long pid) throws IOException {
    String cmdline = Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.UTF_8);
    return Arrays.asList(cmdline.split("\0"));
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  @Test
  void startsTheBrokerWithItsDefaultsThenJavaOptsAndServesPeerJs() throws Exception {
    ProcessBuilder builder = launcher(LAUNCHER, "--host", "127.0.0.1", "--port", "0");
    builder.environment().put("JAVA_OPTS", "-Xss512k -Dlauncher.it=yes");
    try (BrokerProcess broker = BrokerProcess.start("launcher", builder)) {
      int port = broker.port();
      try (TestPeer alice = TestPeer.open(vertx, port, "alice"); TestPeer bob = TestPeer.open(vertx, port, "bob")) {
        alice.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":\"x\"}}");
        assertEquals("alice", bob.expectType("OFFER").getString("src"));
      }
      // The launcher execs java: the broker's process is the one started, with the launcher's flags.
      List<String> expected = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      expected.addAll(DEFAULTS);
      expected.addAll(List.of("-Xss512k", "-Dlauncher.it=yes", "-Dswitchboard.launcher=true", "-jar", JAR.toString(),
          "--host", "127.0.0.1", "--port", "0"));
      assertEquals(expected, commandLine(broker.pid()));
      assertFalse(broker.output().contains(JvmSettings.NOTE), broker.output());
    }
  }

  /** A JAVA_HOME whose bin/java prints its arguments, one a line: the launcher's exact command, at no JVM's cost. */
  private Path echoingJavaHome() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin.getParent();
  }

  private static List<String> run(ProcessBuilder builder) throws Exception {
    Path out = Files.createTempFile("launcher-", ".out");
    try {
      Process process = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(process.waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "did not exit");
      String text = Files.readString(out);
      assertEquals(0, process.exitValue(), text);
      return text.lines().toList();
    } finally {
      Files.delete(out);
    }
  }

  @Test
  void switchboardJvmDefaultsReplacesTheDefaultsAndArgumentsPassUnchanged() throws Exception {
    ProcessBuilder replaced = launcher(LAUNCHER, "--cors", "https://a.example https://b.example");
    replaced.environment().put("JAVA_HOME", echoingJavaHome().toString());
    replaced.environment().put("SWITCHBOARD_JVM_DEFAULTS", "-XX:+UseSerialGC -Xmx128m");
    replaced.environment().put("JAVA_OPTS", "-Xss512k");
    assertEquals(List.of("-XX:+UseSerialGC", "-Xmx128m", "-Xss512k", "-Dswitchboard.launcher=true", "-jar",
        JAR.toString(), "--cors", "https://a.example https://b.example"), run(replaced));

    // Set but empty: no defaults at all. Without JAVA_HOME: the java on PATH.
    ProcessBuilder none = launcher(LAUNCHER, "--version");
    none.environment().remove("JAVA_HOME");
    none.environment().put("PATH", echoingJavaHome().resolve("bin") + ":/usr/bin:/bin");
    none.environment().put("SWITCHBOARD_JVM_DEFAULTS", "");
    assertEquals(List.of("-Dswitchboard.launcher=true", "-jar", JAR.toString(), "--version"), run(none));
  }

  @Test
  void findsItsJarThroughASymlinkAndFromAnotherDirectory() throws Exception {
    String version = "Switchboard " + PomVersion.read();
    Path link = Files.createSymbolicLink(dir.resolve("switchboard"), LAUNCHER);
    // Called by a relative name through the symlink, in a directory that holds no jar.
    ProcessBuilder relative = launcher(Path.of("/bin/sh"), "-c", "cd \"$1\" && exec ./switchboard --version", "sh", dir.toString());
    assertEquals(List.of(version), run(relative));
    // Called by its own path from elsewhere.
    assertEquals(List.of(version), run(launcher(LAUNCHER, "--version").directory(dir.toFile())));
    assertTrue(Files.isSymbolicLink(link));
  }

  @Test
  void withoutItsJarItSaysWhereItLookedAndExitsNonZero() throws Exception {
    Path alone = Files.copy(LAUNCHER, Files.createDirectories(dir.resolve("bin")).resolve("switchboard"));
    Command.Result result = Command.execute(dir, WAIT, alone.toString(), "--version");
    assertEquals(1, result.exitCode(), result.describe("exited"));
    Path missing = alone.getParent().toRealPath().resolve("switchboard.jar");
    assertEquals("switchboard: " + missing + " not found (build it with: mvn package -DskipTests)",
        result.output().strip());
  }

  @Test
  void javaJarWithoutJvmFlagsWorksAndSaysSoOnce() throws Exception {
    ProcessBuilder plain = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "--host", "127.0.0.1", "--port", "0");
    plain.environment().remove("JDK_JAVA_OPTIONS");
    plain.environment().remove("JAVA_TOOL_OPTIONS");
    try (BrokerProcess broker = BrokerProcess.start("java -jar", plain)) {
      try (TestPeer alice = TestPeer.open(vertx, broker.port(), "alice")) {
        assertEquals(1, occurrences(broker.output(), JvmSettings.NOTE), broker.output());
      }
    }
  }
}

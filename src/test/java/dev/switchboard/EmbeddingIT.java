package dev.switchboard;

import dev.switchboard.support.PomVersion;
import dev.switchboard.support.ScratchMaven;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application that embeds Switchboard, built the way docs/embedding.md says: the project is installed
 * ({@code mvn install}, tests skipped) into a scratch local repository, then src/test/embedding-app is
 * compiled against {@code dev.switchboard:switchboard} and run on the classpath Maven resolved for it.
 * Its broker relays a PeerJS-style OFFER, and Vert.x is on that classpath exactly once, and every library
 * on it is the one (same version) this build's tests ran on: Maven gives a dependency's dependencies the
 * versions their poms ask for, not the ones Switchboard's imported BOMs manage, so a BOM pin that differs
 * shows up here. The real install matters: the shade plugin once installed a dependency-reduced pom
 * without any dependency in place of pom.xml.
 */
class EmbeddingIT {
  private static final long MAVEN_SECONDS = 120;

  @Test
  void anApplicationBuiltAgainstTheInstalledArtifactRelaysAnOfferWithOneVertx() throws Exception {
    String version = PomVersion.read();
    Path basedir = PomVersion.basedir();
    Path plainJar = basedir.resolve("target/switchboard-" + version + ".jar");
    assertTrue(Files.isRegularFile(plainJar), "missing " + plainJar + " (mvn package makes it)");
    Path work = basedir.resolve("target/embedding-it");
    ScratchMaven maven = ScratchMaven.seed(work);
    // Up to date already (failsafe runs after package): compiling is a no-op, the jars are made again.
    maven.run(basedir, MAVEN_SECONDS, "-q", "-DskipTests", "-DskipITs", "install");
    Path installed = maven.repository().resolve("dev/switchboard/switchboard/" + version);
    assertEquals(Files.readString(basedir.resolve("pom.xml")), Files.readString(installed.resolve(
        "switchboard-" + version + ".pom")), "mvn install did not install pom.xml as the artifact's pom");
    assertTrue(Files.isRegularFile(installed.resolve("switchboard-" + version + "-all.jar")), "no fat jar installed");
    Path app = copyApp(basedir.resolve("src/test/embedding-app"), work.resolve("app"));

    List<String> lines = maven.run(app, MAVEN_SECONDS, "-Dswitchboard.version=" + version, "compile", "exec:exec")
        .lines().toList();

    String output = String.join("\n", lines);
    assertEquals(List.of(maven.repository().resolve("dev/switchboard/switchboard/" + version
        + "/switchboard-" + version + ".jar").toString()), classpath(lines, "switchboard-.*"), output);
    assertEquals(1, classpath(lines, "vertx-core-\\d.*").size(), output);
    assertEquals(List.of(), untested(classpath(lines, ".*"), version),
        "the application resolves libraries (or versions) Switchboard's own tests did not run with:\n" + output);
    assertTrue(lines.contains("vertx-copies 1"), "io/vertx/core/Vertx.class more than once:\n" + output);
    assertTrue(lines.contains("switchboard-version " + version), output);
    assertTrue(lines.contains("alice OPEN") && lines.contains("bob OPEN"), output);
    String relayed = value(lines, "bob-received ", output);
    JsonObject offer = new JsonObject(relayed);
    assertEquals("OFFER", offer.getString("type"), relayed);
    assertEquals("alice", offer.getString("src"), relayed);
    assertEquals("bob", offer.getString("dst"), relayed);
    assertEquals("v=0", offer.getJsonObject("payload").getString("sdp"), relayed);
  }

  // The jars on the app's classpath whose file name matches {@code name} (before ".jar").
  private static List<String> classpath(List<String> lines, String name) {
    return lines.stream().filter(line -> line.startsWith("classpath ")).map(line -> line.substring(10))
        .filter(entry -> Path.of(entry).getFileName().toString().matches(name + "\\.jar"))
        .toList();
  }

  // The app's jars, other than Switchboard's, that are not on this test run's classpath by the same file
  // name (artifact, version, classifier): what an embedding application gets that the tests never ran on.
  private static List<String> untested(List<String> appJars, String version) {
    Set<String> tested = Stream.of(System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path")).split(File.pathSeparator))
        .map(entry -> Path.of(entry).getFileName().toString()).collect(Collectors.toSet());
    return appJars.stream().map(entry -> Path.of(entry).getFileName().toString())
        .filter(name -> !name.equals("switchboard-" + version + ".jar") && !tested.contains(name)).toList();
  }

  private static String value(List<String> lines, String prefix, String output) {
    return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
        .findFirst().orElseThrow(() -> new AssertionError("no \"" + prefix + "\" line in:\n" + output));
  }

  // A copy, so the app's target/ lands under target/embedding-it and never in src/.
  private static Path copyApp(Path source, Path target) throws Exception {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    return target;
  }
}

package dev.switchboard;

import dev.switchboard.support.PomVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two jars {@code mvn package} makes: the plain main artifact holds Switchboard's classes only (its
 * dependencies are in the pom), and the runnable {@code target/switchboard.jar} reports the pom's version.
 */
class PackagingIT {

  @Test
  void theMainArtifactHoldsOnlySwitchboardsOwnClasses() throws Exception {
    String version = PomVersion.read();
    Path plain = PomVersion.basedir().resolve("target/switchboard-" + version + ".jar");
    assertTrue(Files.isRegularFile(plain), "missing " + plain);
    try (JarFile jar = new JarFile(plain.toFile())) {
      List<String> foreign = jar.stream().map(ZipEntry::getName)
          .filter(name -> !name.startsWith("dev/switchboard/") && !name.startsWith("META-INF/")
              && !name.equals("dev/") && !name.endsWith(".properties")
              && !name.startsWith("demo/")) // the --demo page's files (its PeerJS copy is the one vendored file)
          .limit(5).toList();
      assertEquals(List.of(), foreign, "the main artifact carries dependencies (shaded into it?)");
      Manifest manifest = jar.getManifest();
      assertEquals(version, manifest.getMainAttributes().getValue("Implementation-Version"));
      assertTrue(jar.getEntry("dev/switchboard/Switchboard.class") != null);
    }
  }

  @Test
  void theFatJarRunsAndPrintsThePomsVersion() throws Exception {
    String version = PomVersion.read();
    Path fat = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"));
    assertTrue(Files.isRegularFile(fat), "missing " + fat);
    try (JarFile jar = new JarFile(fat.toFile())) {
      assertEquals(version, jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
      assertTrue(jar.getEntry("io/vertx/core/Vertx.class") != null, "the fat jar lacks Vert.x");
    }
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", fat.toString(), "--version").redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "--version did not exit");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), out);
    assertEquals("Switchboard " + version, out.strip());
  }
}

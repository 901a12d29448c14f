package dev.switchboard.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline Maven runs against a scratch local repository: a hard-linked copy of the machine's own
 * (~/.m2, which the build already filled), so what is installed into it never reaches the real one and
 * nothing is downloaded. Maven 3.8 has no read-only "tail" repository, hence the copy; it takes well
 * under a second on one file system.
 */
public final class ScratchMaven {
  /** Files Maven may rewrite in place: copied, so the real repository's are never touched. */
  private static final List<String> REWRITTEN = List.of("_remote.repositories", ".properties", ".lastUpdated",
      ".xml", ".sha1", ".md5");
  private static final Path OWN_ARTIFACTS = Path.of("dev", "switchboard");

  private final Path repository;

  private ScratchMaven(Path repository) {
    this.repository = repository;
  }

  /** A scratch repository at {@code directory}/repo seeded from the real one, leaving out Switchboard's own. */
  public static ScratchMaven seed(Path directory) throws IOException {
    Path source = Path.of(System.getProperty("switchboard.localRepository",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    assertTrue(Files.isDirectory(source), "no local Maven repository at " + source);
    deleteTree(directory);
    Path target = directory.resolve("repo");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path relative = source.relativize(file);
        if (relative.startsWith(OWN_ARTIFACTS)) {
          continue;
        }
        Path copy = target.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else if (REWRITTEN.stream().anyMatch(end -> file.getFileName().toString().endsWith(end))) {
          Files.copy(file, copy);
        } else {
          link(file, copy);
        }
      }
    }
    return new ScratchMaven(target);
  }

  private static void link(Path file, Path copy) throws IOException {
    try {
      Files.createLink(copy, file);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(file, copy); // another file system: a copy, slower but the same
    }
  }

  public Path repository() {
    return repository;
  }

  /**
   * Runs {@code mvn -o -B} with this repository in {@code directory}; fails with Maven's output unless
   * it exits 0 within {@code seconds}. Returns the output.
   */
  public String run(Path directory, long seconds, String... args) throws Exception {
    String home = System.getProperty("maven.home");
    String mvn = home == null || home.isBlank() ? "mvn" : Path.of(home, "bin", "mvn").toString();
    List<String> command = new ArrayList<>(List.of(mvn, "-o", "-B", "-ntp", "-Dmaven.repo.local=" + repository));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(repository.getParent(), "mvn-", ".log"); // beside the scratch repository
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(exited, String.join(" ", command) + " did not finish within " + seconds + " s:\n" + output);
    assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
    return output;
  }

  /** Deletes {@code directory} and everything under it, if it exists. */
  public static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    }
  }
}

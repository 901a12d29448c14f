package dev.switchboard.deploy;

import dev.switchboard.support.Command;
import dev.switchboard.support.NodeScript;
import dev.switchboard.support.ProxyProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client add-ons' npm package as the build packed it (target/peerjs-xhr-fallback-VERSION.tgz, Maven's
 * package phase): installed into an empty project without a registry, every entry loaded with
 * {@code require} and with {@code import}, and its TypeScript declarations type-checked as an
 * application uses them (src/test/js/client-package).
 */
class ClientPackageIT {
  private static final Path TARGET = ProxyProcess.BASEDIR.resolve("target");
  private static final Path FIXTURES = NodeScript.JS_DIR.resolve("client-package");
  private static final Path TSC = NodeScript.JS_DIR.resolve("node_modules/typescript/bin/tsc");
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  static Path project;
  private static String version;
  private static Path tarball;

  @BeforeAll
  static void installThePackedTarball() throws Exception {
    version = projectVersion();
    tarball = TARGET.resolve("peerjs-xhr-fallback-" + version + ".tgz");
    assertTrue(Files.isRegularFile(tarball), tarball + " is missing: the package phase packs it (scripts/pack-client.sh)");
    Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true}\n");
    try (Stream<Path> files = Files.list(FIXTURES)) {
      for (Path file : files.toList()) {
        Files.copy(file, project.resolve(file.getFileName()));
      }
    }
    // peerjs is an optional peer dependency: nothing needs the registry.
    Command.run(project, WAIT, "npm", "install", "--offline", "--no-package-lock", "--no-audit", "--no-fund",
        "--ignore-scripts", tarball.toString());
  }

  @Test
  void theTarballHoldsEveryAddOnAsScriptModuleAndTypesWithTheLicenseAndTheBrokersVersion() throws IOException {
    Path installed = project.resolve("node_modules/peerjs-xhr-fallback");
    Set<String> files;
    try (Stream<Path> listed = Files.list(installed)) {
      files = listed.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> expected = new TreeSet<>(List.of("LICENSE", "README.md", "package.json"));
    for (String addOn : List.of("peerjs-xhr-fallback", "websocket-token", "switchboard")) {
      expected.addAll(List.of(addOn + ".js", addOn + ".mjs", addOn + ".d.ts", addOn + ".d.mts"));
    }
    assertEquals(expected, files);
    assertEquals(Files.readString(ProxyProcess.BASEDIR.resolve("LICENSE")), Files.readString(installed.resolve("LICENSE")));
    JsonObject manifest = new JsonObject(Files.readString(installed.resolve("package.json")));
    assertEquals(version, manifest.getString("version"), "the package's version is the pom's");
    assertEquals("MIT", manifest.getString("license"));
    assertTrue(manifest.getJsonObject("peerDependenciesMeta").getJsonObject("peerjs").getBoolean("optional"));
  }

  @Test
  void everyEntryLoadsWithRequire() {
    Command.Result run = Command.run(project, WAIT, "node", "consume.cjs", version);
    assertTrue(run.output().contains("{\"step\":\"require\",\"ok\":true}"), run.describe("did not finish"));
  }

  @Test
  void everyEntryLoadsWithImport() {
    Command.Result run = Command.run(project, WAIT, "node", "consume.mjs", version);
    assertTrue(run.output().contains("{\"step\":\"import\",\"ok\":true}"), run.describe("did not finish"));
  }

  @Test
  void theDeclarationsTypeCheckWithBundlerAndNodeResolution() throws IOException {
    assertTrue(Files.isRegularFile(TSC), TSC + " is missing (scripts/install-test-tools.sh runs npm ci in src/test/js)");
    // PeerJS's own types, which the declarations import, come from the test tools' node_modules.
    Path peerjs = project.resolve("node_modules/peerjs");
    if (!Files.exists(peerjs)) {
      Files.createSymbolicLink(peerjs, NodeScript.JS_DIR.resolve("node_modules/peerjs"));
    }
    Command.run(project, WAIT, "node", TSC.toString(), "-p", "tsconfig.bundler.json");
    Command.run(project, WAIT, "node", TSC.toString(), "-p", "tsconfig.json");
  }

  /** The version in pom.xml, which the package and the add-ons' {@code version} fields carry. */
  static String projectVersion() throws Exception {
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(ProxyProcess.BASEDIR.resolve("pom.xml").toFile()).getDocumentElement();
    for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element && "version".equals(element.getTagName())) {
        return element.getTextContent().trim();
      }
    }
    throw new AssertionError("pom.xml has no <version>");
  }
}

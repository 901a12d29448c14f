package dev.switchboard.deploy;

import dev.switchboard.config.ServerSettings;
import dev.switchboard.support.Command;
import dev.switchboard.support.ProxyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast checks of the shipped service files: docs/deploy/switchboard.service passes
 * {@code systemd-analyze verify} without a warning and keeps a low exposure score, stops no sooner than
 * the broker drains, starts the launcher; the Containerfile runs the launcher and jar the build makes as
 * a non-root user with a health check on /health. The slow check (podman build, the image's broker under chroot) is
 * scripts/verify-packaging.sh.
 */
class PackagingFilesIT {
  private static final Path UNIT = ProxyProcess.BASEDIR.resolve("docs/deploy/switchboard.service");
  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Where the unit's header installs the launcher (target/switchboard) and the jar beside it. */
  private static final String INSTALLED_LAUNCHER = "/opt/switchboard/switchboard";
  private static final Path BUILT_LAUNCHER = ProxyProcess.BASEDIR.resolve("target/switchboard");

  @TempDir
  Path dir;

  @Test
  void theUnitPassesSystemdAnalyzeVerifyWithoutAWarning() throws IOException {
    assertTrue(Files.isExecutable(SYSTEMD_ANALYZE), SYSTEMD_ANALYZE + " is missing (scripts/install-test-tools.sh installs systemd)");
    // verify requires ExecStart's executable to exist: the unit as installed on this machine is the unit
    // with the build's launcher at the install path.
    assertTrue(Files.isExecutable(BUILT_LAUNCHER), "missing " + BUILT_LAUNCHER + " (run mvn package first)");
    Path installed = Files.writeString(dir.resolve("switchboard.service"),
        Files.readString(UNIT).replace("ExecStart=" + INSTALLED_LAUNCHER + " ", "ExecStart=" + BUILT_LAUNCHER + " "));
    Command.Result verify = Command.run(dir, WAIT, SYSTEMD_ANALYZE.toString(), "verify", installed.toString());
    assertEquals("", verify.output().strip(), verify.describe("warned"));
  }

  @Test
  void theUnitStartsTheLauncherItsHeaderInstalls() throws IOException {
    String unit = Files.readString(UNIT);
    assertTrue(unit.contains("\nExecStart=" + INSTALLED_LAUNCHER + " --config /etc/switchboard/switchboard.yaml\n"), unit);
    assertTrue(unit.contains("#   install -D -m 0755 target/switchboard " + INSTALLED_LAUNCHER + "\n"), "header installs the launcher");
    assertTrue(unit.contains("#   install -D -m 0644 target/switchboard.jar " + INSTALLED_LAUNCHER + ".jar\n"),
        "header installs the jar next to it");
    assertFalse(Pattern.compile("(?m)^ExecStart=.*java").matcher(unit).find(), "java -jar would run without the launcher's flags");
  }

  @Test
  void theUnitsSandboxKeepsItsExposureLow() {
    // systemd's own scale: 0 (locked down) to 10 (exposed); "OK" is below 4.
    Command.Result security = Command.execute(UNIT.getParent(), WAIT, SYSTEMD_ANALYZE.toString(), "security",
        "--offline=yes", "--threshold=20", UNIT.toString());
    assertEquals(0, security.exitCode(), security.describe("scored the unit above 2.0"));
  }

  @Test
  void theUnitWaitsLongerThanTheDrainAndNeverForbidsTheJit() throws IOException {
    String unit = Files.readString(UNIT);
    Matcher stop = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(unit);
    assertTrue(stop.find(), "no TimeoutStopSec in " + UNIT);
    long drainMs = ServerSettings.DRAIN_TIMEOUT.defaultValue();
    assertTrue(Long.parseLong(stop.group(1)) * 1000 >= drainMs + 10_000,
        "TimeoutStopSec must cover --drain_timeout (" + drainMs + " ms) and the close after it");
    assertFalse(Pattern.compile("(?m)^MemoryDenyWriteExecute=").matcher(unit).find(), "the JIT writes code it runs");
    assertTrue(Pattern.compile("(?m)^CapabilityBoundingSet=$").matcher(unit).find(), "no capabilities");
  }

  @Test
  void theContainerfileRunsTheBuildsLauncherAsANonRootUserWithAHealthCheck() throws IOException {
    String file = Files.readString(ProxyProcess.BASEDIR.resolve("Containerfile"));
    String pom = Files.readString(ProxyProcess.BASEDIR.resolve("pom.xml"));
    assertTrue(pom.contains("<outputFile>${project.build.directory}/switchboard.jar</outputFile>"),
        "the jar the Containerfile copies: the fat jar at target/switchboard.jar");
    assertTrue(pom.contains("<argument>${project.build.directory}/switchboard</argument>"),
        "the launcher the Containerfile copies: target/switchboard");
    assertTrue(file.contains("COPY --from=build /src/target/switchboard.jar /opt/switchboard/switchboard.jar"), file);
    assertTrue(file.contains("COPY --from=build /src/target/switchboard " + INSTALLED_LAUNCHER + "\n"), file);
    assertTrue(file.contains("ENTRYPOINT [\"" + INSTALLED_LAUNCHER + "\"]"), file);
    assertTrue(file.contains("\nUSER 10001:10001\n"), "a non-root user");
    assertTrue(file.contains("SWITCHBOARD_PORT=9000") && file.contains("\nEXPOSE 9000\n"), "the port it exposes");
    assertTrue(file.contains("GET /health HTTP/1.1"), "HEALTHCHECK on /health");
    // The launcher's flags (LauncherIT) and no second copy of them that could drift.
    assertFalse(file.contains("JDK_JAVA_OPTIONS") || file.contains("-XX:"), file);
    String launcher = Files.readString(ProxyProcess.BASEDIR.resolve("src/main/dist/switchboard"));
    for (String flag : new String[] {"-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"}) {
      assertTrue(launcher.contains(flag), "JVM flag for containers: " + flag);
    }
  }
}

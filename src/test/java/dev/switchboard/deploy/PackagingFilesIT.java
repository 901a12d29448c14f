package dev.switchboard.deploy;

import dev.switchboard.config.ServerSettings;
import dev.switchboard.support.Command;
import dev.switchboard.support.ProxyProcess;
import org.junit.jupiter.api.Test;

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
 * the broker drains; the Containerfile runs the jar the build makes as a non-root user with a health
 * check on /health. The slow check (podman build, the image's broker under chroot) is
 * scripts/verify-packaging.sh.
 */
class PackagingFilesIT {
  private static final Path UNIT = ProxyProcess.BASEDIR.resolve("docs/deploy/switchboard.service");
  private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theUnitPassesSystemdAnalyzeVerifyWithoutAWarning() {
    assertTrue(Files.isExecutable(SYSTEMD_ANALYZE), SYSTEMD_ANALYZE + " is missing (scripts/install-test-tools.sh installs systemd)");
    Command.Result verify = Command.run(UNIT.getParent(), WAIT, SYSTEMD_ANALYZE.toString(), "verify", UNIT.toString());
    assertEquals("", verify.output().strip(), verify.describe("warned"));
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
  void theContainerfileRunsTheBuildsJarAsANonRootUserWithAHealthCheck() throws IOException {
    String file = Files.readString(ProxyProcess.BASEDIR.resolve("Containerfile"));
    String pom = Files.readString(ProxyProcess.BASEDIR.resolve("pom.xml"));
    assertTrue(pom.contains("<outputFile>${project.build.directory}/switchboard.jar</outputFile>"),
        "the jar the Containerfile copies: the fat jar at target/switchboard.jar");
    assertTrue(file.contains("COPY --from=build /src/target/switchboard.jar /opt/switchboard/switchboard.jar"), file);
    assertTrue(file.contains("ENTRYPOINT [\"java\", \"-jar\", \"/opt/switchboard/switchboard.jar\"]"), file);
    assertTrue(file.contains("\nUSER 10001:10001\n"), "a non-root user");
    assertTrue(file.contains("SWITCHBOARD_PORT=9000") && file.contains("\nEXPOSE 9000\n"), "the port it exposes");
    assertTrue(file.contains("GET /health HTTP/1.1"), "HEALTHCHECK on /health");
    for (String flag : new String[] {"-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError"}) {
      assertTrue(file.contains(flag), "JVM flag for containers: " + flag);
    }
  }
}

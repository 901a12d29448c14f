package dev.switchboard;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the broker says at start that it runs with the JVM's default settings (LauncherIT runs both ways). */
class JvmSettingsTest {

  @Test
  void noFlagsOrOnlyUnrelatedOnesAreTheDefaults() {
    assertTrue(JvmSettings.defaults(null, List.of()));
    assertTrue(JvmSettings.defaults("false", List.of()));
    assertTrue(JvmSettings.defaults(null, List.of("-Dfoo=bar", "-Xss512k", "-Xms64m", "-XX:+UseCompressedOops",
        "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-XX:InitialRAMPercentage=10")));
  }

  @Test
  void theLauncherIsNeverTheDefaults() {
    assertFalse(JvmSettings.defaults("true", List.of()));
    assertFalse(JvmSettings.defaults("true", List.of("-Dfoo=bar")));
  }

  @Test
  void aChosenHeapOrCollectorIsNotTheDefaults() {
    for (String flag : List.of("-Xmx1g", "-Xmn48m", "-XX:MaxRAMPercentage=75", "-XX:MaxRAM=2g",
        "-XX:+UseParallelGC", "-XX:+UseSerialGC", "-XX:+UseZGC", "-XX:+UseG1GC")) {
      assertFalse(JvmSettings.defaults(null, List.of("-Dfoo=bar", flag)), flag);
    }
  }
}

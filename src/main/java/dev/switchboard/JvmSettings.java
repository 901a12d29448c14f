package dev.switchboard;

import java.util.List;

/**
 * Whether the broker runs with JVM settings chosen for it: by the launcher ({@code target/switchboard},
 * which sets {@code -Dswitchboard.launcher=true}) or by an operator who chose a collector or a heap size.
 * {@code java -jar} alone runs with the JVM's general-purpose defaults (G1, a heap of up to a quarter of
 * the machine's memory), which work but hold several times the memory per idle peer: the broker says so
 * once at start, with the way out.
 */
final class JvmSettings {
  static final String NOTE = "running with the JVM's default settings (java -jar without JVM flags): this works, but holds"
      + " several times the memory per idle peer; target/switchboard starts the broker with settings fitted to it"
      + " (docs/deploy.md, \"JVM settings\")";

  private JvmSettings() {
  }

  /** True when neither the launcher nor the operator chose a collector or a heap size. */
  static boolean defaults(String launcherProperty, List<String> jvmArguments) {
    if (Boolean.parseBoolean(launcherProperty)) {
      return false;
    }
    for (String argument : jvmArguments) {
      if (argument.startsWith("-Xmx") || argument.startsWith("-Xmn") || argument.startsWith("-XX:MaxRAM")
          || (argument.startsWith("-XX:+Use") && argument.endsWith("GC"))) {
        return false;
      }
    }
    return true;
  }
}

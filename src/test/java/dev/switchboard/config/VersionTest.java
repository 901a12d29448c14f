package dev.switchboard.config;

import dev.switchboard.support.PomVersion;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code --version} prints the version pom.xml states (PackagingIT checks the same of the fat jar). */
class VersionTest {

  @Test
  void versionFlagPrintsThePomsVersionAndExitsZero() {
    StringWriter out = new StringWriter();
    CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class, () -> CommandLineParser.parse(
        new String[] {"--version"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
    assertEquals(0, exit.status());
    assertEquals("Switchboard " + PomVersion.read(), out.toString().strip());
  }

  @Test
  void theVersionClassReadsThePomsVersion() {
    assertEquals(PomVersion.read(), Version.current());
  }
}

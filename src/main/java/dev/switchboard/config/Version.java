package dev.switchboard.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The broker's release version, as pom.xml states it: the build writes it into a resource beside this
 * class, so it is the same in the plain jar, the fat jar and the classes directory tests run from.
 * {@code --version} prints it.
 */
public final class Version {
  private static final String RESOURCE = "version.properties";
  private static final String CURRENT = load();

  private Version() {
  }

  /** The version, such as {@code 0.2.0} (a {@code -SNAPSHOT} suffix between releases). */
  public static String current() {
    return CURRENT;
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside " + Version.class.getName()
            + ": build with Maven, which writes it");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      // An unfiltered copy (an IDE that copied the resource without Maven) still says ${project.version}.
      if (!version.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?")) {
        throw new IllegalStateException(RESOURCE + " holds no version (\"" + version + "\"): build with Maven");
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.switchboard.support;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's version read from pom.xml itself (not through Maven), for tests that check what prints it. */
public final class PomVersion {
  private PomVersion() {
  }

  /** The project directory: failsafe names it; surefire runs in it. */
  public static Path basedir() {
    return Path.of(System.getProperty("switchboard.basedir", ".")).toAbsolutePath().normalize();
  }

  /** The {@code <version>} directly under {@code <project>} in pom.xml. */
  public static String read() {
    Path pom = basedir().resolve("pom.xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Element project = factory.newDocumentBuilder().parse(Files.newInputStream(pom)).getDocumentElement();
      for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
        if ("version".equals(child.getLocalName())) {
          return child.getTextContent().trim();
        }
      }
    } catch (Exception e) {
      throw new AssertionError("cannot read " + pom, e);
    }
    throw new AssertionError(pom + " has no project version");
  }
}

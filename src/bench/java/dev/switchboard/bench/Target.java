package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/** A server the suite measures. */
enum Target {
  /** {@code target/switchboard}, the launcher next to the jar: Switchboard as users start it. */
  SWITCHBOARD("switchboard"),
  /** {@code java <--server-jvm flags> -jar target/switchboard.jar}: the bench's tuned JVM flags. */
  SWITCHBOARD_TUNED("switchboard-tuned"),
  /** {@code java -jar target/switchboard.jar} without JVM flags: the JVM's general-purpose defaults. */
  SWITCHBOARD_JAR("switchboard-java-jar"),
  /** PeerServer 1.0.2 (npm {@code peer}) under Node, the reference. */
  PEERSERVER("peerserver"),
  /** {@link RawForwarder}: frames passed from socket to socket on the same Vert.x stack, the physical limit. */
  FORWARDER("forwarder");

  private final String label;

  Target(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** Switchboard itself, in any of its start modes. */
  boolean isSwitchboard() {
    return this == SWITCHBOARD || this == SWITCHBOARD_TUNED || this == SWITCHBOARD_JAR;
  }

  /** A comma-separated list of labels, in order; an unknown label is an error that lists the known ones. */
  static List<Target> parseList(String list) {
    List<Target> targets = new ArrayList<>();
    for (String label : list.split(",")) {
      Target found = null;
      for (Target target : values()) {
        if (target.label.equals(label.trim())) {
          found = target;
        }
      }
      if (found == null) {
        List<String> known = new ArrayList<>();
        for (Target target : values()) {
          known.add(target.label);
        }
        throw new IllegalArgumentException("unknown target '" + label + "'; known: " + String.join(", ", known));
      }
      if (!targets.contains(found)) {
        targets.add(found);
      }
    }
    return targets;
  }
}

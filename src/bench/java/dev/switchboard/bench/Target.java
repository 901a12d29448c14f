package dev.switchboard.bench;

/** A server the suite measures. */
enum Target {
  /** {@code java -jar target/switchboard.jar}. */
  SWITCHBOARD("switchboard"),
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
}

package dev.switchboard.routing;

/**
 * The directory's answer to a peer that asks for its id.
 *
 * @param outcome what happened
 * @param superseded the link that held the id before, when {@code outcome} is {@link Outcome#REPLACED}
 */
public record Admission(Outcome outcome, PeerLink superseded) {
  public static final Admission OPENED = new Admission(Outcome.OPENED, null);
  public static final Admission TAKEN = new Admission(Outcome.TAKEN, null);
  public static final Admission LIMIT = new Admission(Outcome.LIMIT, null);
  public static final Admission NO_QUORUM = new Admission(Outcome.NO_QUORUM, null);

  /** What became of the claim. */
  public enum Outcome {
    /** The id was free and is now the peer's. */
    OPENED,
    /** The id was held by a connection the takeover rule lets this one replace. */
    REPLACED,
    /** The id is held by someone else. */
    TAKEN,
    /** The concurrent limit is reached. */
    LIMIT,
    /** This node of a split cluster does not hold the quorum and admits nobody new. */
    NO_QUORUM
  }

  public static Admission replaced(PeerLink superseded) {
    return new Admission(Outcome.REPLACED, superseded);
  }

  public boolean admitted() {
    return outcome == Outcome.OPENED || outcome == Outcome.REPLACED;
  }
}

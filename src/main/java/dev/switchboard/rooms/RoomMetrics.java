package dev.switchboard.rooms;

import java.util.function.IntSupplier;

/** Where rooms report their figures (a Micrometer binder in {@code dev.switchboard.metrics}); rooms import no metrics library. */
public interface RoomMetrics {
  /** Reports nothing. */
  RoomMetrics NONE = new RoomMetrics() {
    @Override
    public void bind(IntSupplier rooms, IntSupplier members) {
    }

    @Override
    public void joinRefused(String code) {
    }
  };

  /** The codes a ROOM-JOIN may be refused with (metric labels: a bounded set). */
  java.util.List<String> JOIN_REFUSALS = java.util.List.of(RoomError.FULL, RoomError.NOT_FOUND, RoomError.FORBIDDEN,
      RoomError.INVALID, RoomError.LIMIT, RoomError.UNAVAILABLE);

  /** Gauges: the rooms and their members that this node sweeps (in a cluster the sum over nodes is the total). */
  void bind(IntSupplier rooms, IntSupplier members);

  /** A ROOM-JOIN refused with {@code code}, one of {@link #JOIN_REFUSALS}. */
  void joinRefused(String code);
}

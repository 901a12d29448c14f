package dev.switchboard.metrics;

import dev.switchboard.rooms.RoomMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/** The rooms' series (docs/deploy.md): rooms and members this node sweeps, joins refused by code. */
final class RoomMeters implements RoomMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> refused;

  RoomMeters(MeterRegistry registry) {
    this.registry = registry;
    this.refused = JOIN_REFUSALS.stream().collect(Collectors.toUnmodifiableMap(code -> code,
        code -> Counter.builder("switchboard.room.joins.refused").description("ROOM-JOINs refused, by ROOM-ERROR code")
            .tag("code", code).register(registry)));
  }

  @Override
  public void bind(IntSupplier rooms, IntSupplier members) {
    Gauge.builder("switchboard.rooms", rooms, IntSupplier::getAsInt)
        .description("Rooms whose record this node sweeps (in a cluster the sum over nodes is the total)")
        .strongReference(true).register(registry);
    Gauge.builder("switchboard.room.members", members, IntSupplier::getAsInt)
        .description("Members of the rooms this node sweeps").strongReference(true).register(registry);
  }

  @Override
  public void joinRefused(String code) {
    Counter counter = refused.get(code);
    if (counter != null) {
      counter.increment();
    }
  }
}

package dev.switchboard.rooms;

import dev.switchboard.Switchboard;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.rooms.RoomFrames.create;
import static dev.switchboard.rooms.RoomFrames.expectError;
import static dev.switchboard.rooms.RoomFrames.join;
import static dev.switchboard.rooms.RoomFrames.room;
import static dev.switchboard.rooms.RoomFrames.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rooms' series: rooms and members swept here, joins refused by code. */
@ExtendWith(VertxExtension.class)
class RoomMetricsTest {

  @Test
  void roomsMembersAndRefusedJoinsAreCounted(Vertx vertx) {
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options(), metrics));
    try (TestPeer alice = RoomFrames.open(vertx, broker.actualPort(), "alice");
         TestPeer bob = RoomFrames.open(vertx, broker.actualPort(), "bob")) {
      create(alice, "one", 1);
      create(alice, "two", 2);
      join(alice, "one", 1);
      send(bob, "ROOM-JOIN", room("one"));
      expectError(bob, "full");
      send(bob, "ROOM-JOIN", room("none"));
      expectError(bob, "not_found");
      send(bob, "ROOM-JOIN", room("bad id"));
      expectError(bob, "invalid");
      assertEquals(1.0, refused(metrics, "full"));
      assertEquals(1.0, refused(metrics, "not_found"));
      assertEquals(1.0, refused(metrics, "invalid"));
      assertEquals(0.0, refused(metrics, "forbidden"));
      Await.until("the gauges show 2 rooms and 1 member", () ->
          metrics.registry().get("switchboard.rooms").gauge().value() == 2
              && metrics.registry().get("switchboard.room.members").gauge().value() == 1, 10);
    }
  }

  private static double refused(SwitchboardMetrics metrics, String code) {
    return metrics.registry().get("switchboard.room.joins.refused").tag("code", code).counter().count();
  }
}

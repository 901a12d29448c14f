package dev.switchboard.calls;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A node's routes to the homes of its peers' calls: found both ways, and gone with the call, peer or home. */
class CallRoutesTest {
  private final CallRoutes routes = new CallRoutes();

  @Test
  void routesAreFoundByCallAndByPeerAndLeaveNothingBehind() {
    routes.add("c1", "home1", "alice", "bob-phone");
    routes.add("c1", "home1", null, "bob-tv");
    routes.add("c2", "home2", null, "bob-phone");
    assertEquals("home1", routes.homeOf("c1"));
    assertEquals("home1", routes.glareHome("bob-phone", "alice"));
    assertNull(routes.glareHome("bob-phone", "carol"));
    assertEquals(Set.of("home1", "home2"), routes.homesOf("bob-phone"));
    routes.remove("c1", "bob-tv");
    assertEquals(Set.of(), routes.homesOf("bob-tv"));
    assertEquals(Set.of("home1", "home2"), routes.removePeer("bob-phone"));
    assertEquals(0, routes.size());
    assertEquals(Set.of(), routes.homesOf("bob-phone"));
  }

  @Test
  void aHomeThatLeftTakesItsRoutes() {
    routes.add("c1", "home1", "alice", "bob-phone");
    routes.add("c2", "home2", "carol", "dan");
    assertEquals(Map.of("c1", Set.of("bob-phone")), routes.removeHome("home1"));
    assertNull(routes.homeOf("c1"));
    assertEquals("home2", routes.homeOf("c2"));
    assertEquals(1, routes.size());
  }
}

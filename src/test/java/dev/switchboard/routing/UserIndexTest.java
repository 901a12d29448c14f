package dev.switchboard.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The user → peer ids index: checked against the directory's truth, and empty once everyone left. */
class UserIndexTest {
  @Test
  void idsAreCheckedAndStaleOnesDropped() {
    UserIndex index = new UserIndex();
    index.add("bob", "bob-phone");
    index.add("bob", "bob-tv");
    index.add(null, "anon");
    Map<String, String> truth = Map.of("bob-phone", "bob", "bob-tv", "mallory");
    assertEquals(List.of("bob-phone"), index.idsOf("bob", truth::get));
    assertEquals(List.of("bob-phone"), index.idsOf("bob", id -> "bob-phone".equals(id) ? "bob" : null));
    index.remove("bob", "bob-phone");
    assertEquals(0, index.users(), "a user with no ids left is dropped");
  }

  @Test
  void aDirectoryForgetsUsersThatLeft() {
    LocalPeerDirectory directory = new LocalPeerDirectory(TakeoverRule.forOnDuplicate("takeover"), 10);
    dev.switchboard.support.FakeLink link = new dev.switchboard.support.FakeLink("bob-phone", "t", 0);
    link.bindUser("bob");
    directory.claimNow(link);
    assertEquals(List.of("bob-phone"), directory.peersOfUser("bob").result());
    directory.remove(link);
    assertEquals(List.of(), directory.peersOfUser("bob").result());
  }
}

package dev.switchboard.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdPolicyTest {

  @Test
  void exactIsTheUserIdOnly() {
    assertTrue(IdPolicy.EXACT.permits("alice", "alice"));
    assertFalse(IdPolicy.EXACT.permits("alice", "alice-phone"));
    assertFalse(IdPolicy.EXACT.permits("alice", "Alice"));
    assertFalse(IdPolicy.EXACT.permits("alice", "bob"));
    assertEquals("alice", IdPolicy.EXACT.idFor("alice", id -> true));
  }

  @Test
  void deviceIsTheUserIdWithOneSeparatorAndADeviceName() {
    for (String id : new String[] {"alice", "alice-phone", "alice_tv", "alice 2"}) {
      assertTrue(IdPolicy.DEVICE.permits("alice", id), id);
    }
    for (String id : new String[] {"alice-", "alicephone", "alice--phone", "alice-phone-2", "alice.phone", "bob-alice", "malice"}) {
      assertFalse(IdPolicy.DEVICE.permits("alice", id), id);
    }
  }

  @Test
  void deviceIdsHandedOutAreFreeAndPermitted() {
    String[] first = new String[1];
    String id = IdPolicy.DEVICE.idFor("alice", candidate -> {
      if (first[0] == null) {
        first[0] = candidate;
        return true; // the first candidate is in use
      }
      return false;
    });
    assertFalse(id.equals(first[0]));
    assertTrue(IdPolicy.DEVICE.permits("alice", id), id);
  }
}

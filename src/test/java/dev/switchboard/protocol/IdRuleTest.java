package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdRuleTest {
  private final IdRule rule = new IdRule(12);

  @Test
  void acceptsPeerJsIds() {
    for (String id : new String[] {"a", "alice", "Alice42", "a b", "a_b-c d", "0", "abcdefghijkl"}) {
      assertTrue(rule.isValid(id), id);
    }
  }

  @Test
  void refusesWhatPeerJsRefusesAndLongIds() {
    for (String id : new String[] {"", " a", "a ", "a  b", "a__b", "-a", "a-", "a.b", "a/b", "é", "a\u0000",
        "abcdefghijklm"}) {
      assertFalse(rule.isValid(id), id);
    }
    assertFalse(rule.isValid(null));
  }
}

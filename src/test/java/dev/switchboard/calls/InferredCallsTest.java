package dev.switchboard.calls;

import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.CallInfo;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls made with plain PeerJS, as the broker infers them from media OFFER, ANSWER and LEAVE. */
class InferredCallsTest {
  private final List<String> events = new ArrayList<>();
  private final InferredCalls calls = new InferredCalls(Clock.systemUTC(), new BrokerListener() {
    @Override
    public void callInvited(CallInfo call) {
      events.add("invited " + call.callerPeer() + ">" + call.calleeUser());
    }

    @Override
    public void callEnded(CallInfo call, String reason) {
      events.add("ended " + call.callId() + " " + reason);
    }
  }, 3_600_000, (a, b) -> false);

  @Test
  void onlyTheFirstAnswerOfAConnectionIsToldToTheOfferersNode() {
    assertTrue(calls.firstAnswerElsewhere("bob", "alice", "mc_1"));
    assertFalse(calls.firstAnswerElsewhere("bob", "alice", "mc_1"), "a repeated ANSWER costs the cluster nothing");
    assertTrue(calls.firstAnswerElsewhere("bob", "alice", "mc_2"), "another connection is told");
    assertTrue(calls.firstAnswerElsewhere("carol", "alice", "mc_1"), "another answerer is told");
  }

  @Test
  void partiesAreCountedPerTrackedCallAndALeaveBetweenOthersEndsNothing() {
    calls.offered("alice", "bob", "mc_1");
    calls.offered("alice", "bob", "mc_1"); // the same connection again: one call
    calls.offered("alice", "carol", "mc_2");
    assertEquals(List.of("invited alice>bob", "invited alice>carol"), events);
    assertTrue(calls.isParty("alice") && calls.isParty("bob") && calls.isParty("carol"));
    calls.left("bob", "dave");
    assertEquals(2, calls.size(), "a LEAVE between peers not in one call ends none");
    calls.left("bob", "alice");
    assertEquals(List.of("invited alice>bob", "invited alice>carol", "ended mc_1 cancelled"), events);
    assertFalse(calls.isParty("bob"));
    assertTrue(calls.isParty("alice"), "still in the call with carol");
    calls.gone("carol");
    assertEquals(0, calls.size());
    assertFalse(calls.isParty("alice") || calls.isParty("carol"));
  }
}

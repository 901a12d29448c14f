package dev.switchboard.routing;

/**
 * A call as {@link BrokerListener}'s call events report it (docs/calls.md). Times are the broker clock's
 * milliseconds, 0 while a step has not happened.
 *
 * @param callId the call's id
 * @param callerPeer the peer id that invited
 * @param callerUser the caller's verified user, or its peer id without auth
 * @param calleeUser the user called (the invite's {@code to})
 * @param acceptedPeer the device that accepted, or {@code null}
 * @param inferred whether the call was only seen as a plain PeerJS media OFFER/ANSWER (no CALL-INVITE)
 * @param invitedAt when the invite (or the inferred call's OFFER) arrived
 * @param ringingAt when the first device rang
 * @param acceptedAt when a device accepted (for an inferred call: its ANSWER)
 * @param mediaAt when the first OFFER or ANSWER between the two parties passed after the accept
 */
public record CallInfo(String callId, String callerPeer, String callerUser, String calleeUser, String acceptedPeer,
                       boolean inferred, long invitedAt, long ringingAt, long acceptedAt, long mediaAt) {
}

/**
 * Calls between users (docs/calls.md): a caller invites a user, every connected device of that user
 * rings, the first to accept gets the call.
 *
 * <p>{@link dev.switchboard.calls.CallService} is the call broker of one node: the handlers of the
 * client's {@code CALL-*} frames, registered in the routing core's registry, and a listener for
 * disconnects (after the reconnect grace, through {@link dev.switchboard.routing.Departures}) and for
 * the OFFER/ANSWER of accepted calls. The state machine ({@code CallBook}) is a plain class with an
 * injected clock and no I/O; each call lives on its home node, where one lock serialises its
 * transitions. In a cluster, {@code CallMesh} carries frames between a call's home and the nodes of its
 * parties over the event bus. {@code LeaveOnDisconnect} sends LEAVE for vanished peers
 * ({@code --leave_on_disconnect}); {@code InferredCalls} counts calls made with plain PeerJS.
 */
package dev.switchboard.calls;

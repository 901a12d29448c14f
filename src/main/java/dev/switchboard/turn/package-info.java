/**
 * TURN credentials (docs/turn.md): short-lived coturn TURN REST credentials for each peer, signed with the
 * first of the shared secrets ({@link dev.switchboard.turn.TurnCredentials}), handed out by
 * {@code GET {path}{key}/ice} and pushed as {@code ICE-SERVERS} frames after OPEN and before half their
 * lifetime has passed ({@link dev.switchboard.turn.TurnService}). Options: {@link dev.switchboard.turn.TurnSettings}.
 */
package dev.switchboard.turn;

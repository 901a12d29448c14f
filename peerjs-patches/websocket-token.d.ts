// Types for websocket-token.js, loaded as a script or required for its side effect: it defines the
// global SwitchboardToken. See README.md ("Sec-WebSocket-Protocol — websocket-token.js").

/** A session token, or a function answering the current one when a connection opens. */
export type TokenSource = string | (() => string);

export interface SwitchboardTokenApi {
  /**
   * Sets the token for the next connections to a ".../peerjs?..." URL, which then offer the
   * subprotocols ["access_token", token]; wraps the global WebSocket on the first call.
   */
  use(token: TokenSource | null): void;
  /** The token the next connection gets, or null (the XHR fallback sends it too). */
  current(): string | null;
}

declare global {
  var SwitchboardToken: SwitchboardTokenApi;
}

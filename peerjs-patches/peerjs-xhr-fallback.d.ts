// Types for peerjs-xhr-fallback.js, loaded as a script or required for its side effect: it replaces
// the global WebSocket and defines the global PeerXhrFallback. See README.md ("peerjs-xhr-fallback").

/** The settings of PeerXhrFallback.configure() (README.md, "Settings"). */
export interface PeerXhrFallbackSettings {
  /** ms the WebSocket may take to open before the HTTP session takes over (3000). */
  timeout: number;
  /** 'auto' (a stream, long-polling where a proxy buffers it), 'stream' or 'poll' ('auto'). */
  transport: 'auto' | 'stream' | 'poll';
  /** ms a stream may take to show its first line before 'auto' switches to polls (3000). */
  streamCheck: number;
  /** ms between stream reopenings (25000). */
  rotate: number;
  /** ms before retrying a failed request (1000). */
  retryDelay: number;
  /** consecutive failed reads before the session counts as lost (3). */
  maxRetries: number;
  /** log decisions to the console (false). */
  debug: boolean;
}

/** One fallback from a WebSocket to HTTP. */
export interface PeerXhrFallbackRecord {
  /** the broker URL PeerJS asked for */
  url: string;
  /** why: the WebSocket threw, failed, closed or did not open in time */
  reason: string;
  /** ms from the WebSocket's creation to the fallback */
  afterMs: number;
  /** ms from the WebSocket's creation to the HTTP session's first line, once open */
  openMs?: number;
  /** the HTTP transport in use, once open */
  transport?: 'stream' | 'poll';
}

export interface PeerXhrFallbackApi {
  /** the add-on's version, the package's */
  readonly version: string;
  /** the settings in force */
  readonly settings: PeerXhrFallbackSettings;
  readonly stats: { readonly fallbacks: PeerXhrFallbackRecord[] };
  /** the browser's own WebSocket, as found when the add-on loaded */
  readonly NativeWebSocket: typeof WebSocket;
  /** Changes settings; an unknown name throws. Returns the settings in force. */
  configure(options: Partial<PeerXhrFallbackSettings>): PeerXhrFallbackSettings;
  /** Restores the browser's WebSocket for later connections. */
  uninstall(): void;
}

declare global {
  /** Defined once peerjs-xhr-fallback.js has run where a WebSocket exists. */
  var PeerXhrFallback: PeerXhrFallbackApi;
}

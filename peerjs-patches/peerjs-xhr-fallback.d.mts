// Types for peerjs-xhr-fallback.mjs: `import { PeerXhrFallback } from 'peerjs-xhr-fallback'`.
import type { PeerXhrFallbackApi } from './peerjs-xhr-fallback.js';

export type { PeerXhrFallbackApi, PeerXhrFallbackRecord, PeerXhrFallbackSettings } from './peerjs-xhr-fallback.js';

/** The add-on's API; undefined where there was no WebSocket to replace (Node.js without one). */
export declare const PeerXhrFallback: PeerXhrFallbackApi;
export default PeerXhrFallback;

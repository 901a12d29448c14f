// The ES module face of peerjs-xhr-fallback.js: `import 'peerjs-xhr-fallback'` installs the fallback;
// `import { PeerXhrFallback } from 'peerjs-xhr-fallback'` also hands over its settings and stats.
// peerjs-xhr-fallback.js is a classic script (it must also load with a plain <script> tag); imported
// here for its one side effect, it replaces globalThis.WebSocket and sets globalThis.PeerXhrFallback
// (where there is no WebSocket to replace, as in Node.js without one, it does nothing).
import './peerjs-xhr-fallback.js';

export const PeerXhrFallback = globalThis.PeerXhrFallback;
export default PeerXhrFallback;

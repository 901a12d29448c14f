// The ES module face of websocket-token.js: `import { SwitchboardToken } from 'peerjs-xhr-fallback/websocket-token'`.
// websocket-token.js is a classic script (it must also load with a plain <script> tag); imported here
// for its one side effect, it sets globalThis.SwitchboardToken.
import './websocket-token.js';

export const SwitchboardToken = globalThis.SwitchboardToken;
export default SwitchboardToken;

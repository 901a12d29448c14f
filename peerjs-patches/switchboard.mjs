// The ES module face of switchboard.js: `import { Switchboard } from 'peerjs-xhr-fallback/switchboard'`.
// switchboard.js is a classic script (it must also load with a plain <script> tag); imported here for
// its one side effect, it sets globalThis.Switchboard.
import './switchboard.js';

export const Switchboard = globalThis.Switchboard;
export default Switchboard;

// Types for websocket-token.mjs: `import { SwitchboardToken } from 'peerjs-xhr-fallback/websocket-token'`.
import type { SwitchboardTokenApi } from './websocket-token.js';

export type { SwitchboardTokenApi, TokenSource } from './websocket-token.js';

export declare const SwitchboardToken: SwitchboardTokenApi;
export default SwitchboardToken;

// Type-checked by ClientPackageIT (tsc --noEmit) against the installed package: the CommonJS and
// script-tag faces (require for the side effect, then the globals the scripts define).
import Switchboard = require('peerjs-xhr-fallback/switchboard');
import 'peerjs-xhr-fallback';
import 'peerjs-xhr-fallback/websocket-token';
import type { Peer } from 'peerjs';

declare const peer: Peer;
const version: string = Switchboard.version;
const same: typeof Switchboard = globalThis.Switchboard;
const calls: Switchboard.Calls = same.attach(peer).calls;
PeerXhrFallback.configure({ debug: true });
PeerXhrFallback.uninstall();
SwitchboardToken.use('token');
// @ts-expect-error a token is a string or a function returning one
SwitchboardToken.use(42);
console.log(version, calls.list().length);

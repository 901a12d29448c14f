// Run by ClientPackageIT in an empty project that installed the packed add-ons: imports every entry
// as an ES module application would and checks its named and default exports. Argument: the version.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { FakeWebSocket, fakePeer } = createRequire(import.meta.url)('./fakes.cjs');
const version = process.argv[2];
globalThis.WebSocket = FakeWebSocket; // set before the imports below, which are dynamic for that reason

for (const entry of ['peerjs-xhr-fallback', 'peerjs-xhr-fallback/websocket-token', 'peerjs-xhr-fallback/switchboard']) {
  assert.match(import.meta.resolve(entry), /\.mjs$/, entry + ' resolves to its ES module');
}

const fallbackModule = await import('peerjs-xhr-fallback');
assert.equal(fallbackModule.PeerXhrFallback, globalThis.PeerXhrFallback);
assert.equal(fallbackModule.default, fallbackModule.PeerXhrFallback);
assert.equal(fallbackModule.PeerXhrFallback.version, version);
assert.equal(fallbackModule.PeerXhrFallback.NativeWebSocket, FakeWebSocket);
assert.equal((await import('peerjs-xhr-fallback/peerjs-xhr-fallback')).PeerXhrFallback, fallbackModule.PeerXhrFallback);
fallbackModule.PeerXhrFallback.uninstall();

const { SwitchboardToken, default: tokenDefault } = await import('peerjs-xhr-fallback/websocket-token');
assert.equal(tokenDefault, SwitchboardToken);
SwitchboardToken.use(() => 'fresh-token');
assert.equal(SwitchboardToken.current(), 'fresh-token');
assert.deepEqual(new WebSocket('wss://b.example/calls/peerjs?key=k&id=a&token=t').protocols, ['access_token', 'fresh-token']);

const { Switchboard, default: switchboardDefault } = await import('peerjs-xhr-fallback/switchboard');
assert.equal(switchboardDefault, Switchboard);
assert.equal(Switchboard.version, version);
const peer = fakePeer();
const call = Switchboard.attach(peer).calls.invite('bob', { stream: null, callId: 'c1', media: 'audio' });
assert.equal(call.state, 'inviting');
assert.deepEqual(peer.socket.sent, [{ type: 'CALL-INVITE', payload: { callId: 'c1', to: 'bob', media: 'audio' } }]);

console.log(JSON.stringify({ step: 'import', ok: true }));

// Run by ClientPackageIT in an empty project that installed the packed add-ons: requires every entry
// as a CommonJS application would and checks what each defines. Argument: the expected version.
'use strict';
const assert = require('node:assert/strict');
const { FakeWebSocket, fakePeer } = require('./fakes.cjs');

const version = process.argv[2];
globalThis.WebSocket = FakeWebSocket; // Node.js 20 has none; the add-ons wrap the page's WebSocket

assert.equal(require('peerjs-xhr-fallback/package.json').version, version);

require('peerjs-xhr-fallback');
const fallback = globalThis.PeerXhrFallback;
assert.equal(typeof fallback.configure, 'function');
assert.equal(fallback.version, version);
assert.equal(fallback.NativeWebSocket, FakeWebSocket);
assert.notEqual(globalThis.WebSocket, FakeWebSocket, 'the fallback wraps WebSocket');
assert.ok(new WebSocket('ws://example.org/chat') instanceof FakeWebSocket, 'other URLs get the page WebSocket');
assert.equal(fallback.configure({ timeout: 5000 }).timeout, 5000);
assert.throws(() => fallback.configure({ nonsense: 1 }), /unknown setting nonsense/);
fallback.uninstall();
assert.equal(globalThis.WebSocket, FakeWebSocket);

require('peerjs-xhr-fallback/websocket-token');
SwitchboardToken.use('session-token');
const socket = new WebSocket('ws://broker.example/peerjs?key=peerjs&id=alice&token=t');
assert.deepEqual(socket.protocols, ['access_token', 'session-token']);

const Switchboard = require('peerjs-xhr-fallback/switchboard');
assert.equal(Switchboard, globalThis.Switchboard);
assert.equal(Switchboard.version, version);
assert.throws(() => Switchboard.attach({}), TypeError);
const peer = fakePeer();
const sb = Switchboard.attach(peer);
assert.equal(Switchboard.attach(peer), sb, 'one object per Peer');
sb.presence.set('away', 'lunch');
assert.deepEqual(peer.socket.sent, [{ type: 'PRESENCE-SET', payload: { status: 'away', note: 'lunch' } }]);

for (const file of ['peerjs-xhr-fallback.js', 'websocket-token.js', 'switchboard.js']) {
  require.resolve('peerjs-xhr-fallback/' + file); // the script-tag files are reachable by path
}
console.log(JSON.stringify({ step: 'require', ok: true }));

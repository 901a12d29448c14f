// Type-checked by ClientPackageIT (tsc --noEmit) against the installed package: the ES module entries.
// The @ts-expect-error lines fail the check if the declarations decay to `any`.
import { Peer, type MediaConnection } from 'peerjs';
import { PeerXhrFallback, type PeerXhrFallbackSettings } from 'peerjs-xhr-fallback';
import { SwitchboardToken } from 'peerjs-xhr-fallback/websocket-token';
import { Switchboard, type IncomingCall, type PresenceEntry, type RoomError } from 'peerjs-xhr-fallback/switchboard';

const settings: PeerXhrFallbackSettings = PeerXhrFallback.configure({ timeout: 5000, transport: 'poll' });
const fallbacks: number = PeerXhrFallback.stats.fallbacks.length + settings.maxRetries;
// @ts-expect-error transport is 'auto', 'stream' or 'poll'
PeerXhrFallback.configure({ transport: 'pigeon' });

SwitchboardToken.use(() => 'token');
const current: string | null = SwitchboardToken.current();

const peer = new Peer('alice', { host: 'localhost', port: 9000, path: '/' });
const sb = Switchboard.attach(peer, { calls: { autoRing: false } });
const call = sb.calls.invite('bob', { media: { audio: true }, ringMs: 30000, metadata: { topic: 'standup' } });
call.on('trying', ({ devices, woken }) => console.log(devices + woken, fallbacks, current));
call.on('ended', (reason, info) => console.log(reason.toUpperCase(), info.local, info.detail));
call.on('media', (connection: MediaConnection) => console.log(Switchboard.isCallMedia(connection)));
call.cancel();
// @ts-expect-error invite needs a user id
sb.calls.invite();
sb.calls.on('incoming', (incoming: IncomingCall) => {
  incoming.accept({ stream: null });
  // @ts-expect-error a call is rejected as 'declined' or 'busy'
  incoming.reject('nope');
});

sb.rooms.join('room-1', { mesh: true }).then(({ members, capacity }) => console.log(members.join(), capacity))
  .catch((err: RoomError) => console.log(err.code));
sb.rooms.on('connection', ({ connection }) => connection.send('hello'));

sb.presence.set('away', 'back soon');
// @ts-expect-error 'sleeping' is no status
sb.presence.set('sleeping');
sb.presence.watch(['bob']).then((users) => {
  const bob: PresenceEntry | undefined = users.bob;
  console.log(bob?.status, bob?.devices);
});

Switchboard.fetchIceServers({ host: 'localhost', port: 9000, key: 'peerjs', token: 't' })
  .then(({ iceServers, ttl }) => new Peer('carol', { config: { iceServers }, debug: ttl > 0 ? 1 : 0 }));
sb.ice.on('servers', ({ expiresAt }) => console.log(new Date(expiresAt)));
sb.detach();

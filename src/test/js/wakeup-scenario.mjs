// The "wakeup" scenario of browser-peers.mjs: the wake-up of an offline callee through webhooks, with
// peerjs-patches/switchboard.js in unmodified PeerJS 1.5.5 pages. Pages (in this order): the caller, then
// the callee's device, which is "deferred": its browser page does not exist until the webhook receiver
// (the JVM test's) has received callee.wakeup. The spec's "wakeup" object names the callee user and
// where the receiver lists what it received:
//   "wakeup": {"callee": "bob", "receiver": "http://127.0.0.1:PORT/received"}
//
// Steps: open + attach (caller), invite-offline (CALL-TRYING {devices: 0, woken: true}), wakeup-received
// (polls the receiver), callee-wakes (the page is opened now, the add-on attached before OPEN; the call
// rings right after OPEN), accept-and-media (media flows both ways), hangup.
import { requireMedia, sb } from './calls-scenario.mjs';

const WAKEUP_WAIT_MS = 10000;

export async function wakeupScenario(run, { openPeer }) {
  const [caller, callee] = run.requirePages(2);
  const { callee: calleeUser, receiver } = run.spec.wakeup || {};
  if (!calleeUser || !receiver) throw new Error('spec.wakeup needs callee and receiver');
  if (callee.page) throw new Error(`page ${callee.name} must be deferred: it opens only once woken`);

  await openPeer(run, caller);
  await run.step('attach', { page: caller.name }, () => sb(caller, 'attach'));

  const call = await run.step('invite-offline', { to: calleeUser }, async () => {
    const invited = await sb(caller, 'invite', calleeUser, { metadata: { topic: 'wake up' } });
    const trying = await sb(caller, 'awaitEvent', invited.callId, 'trying');
    const { devices, woken } = trying.detail[0];
    if (devices !== 0 || woken !== true) throw new Error(`CALL-TRYING said devices ${devices}, woken ${woken}`);
    return { callId: invited.callId, devices, woken, inviteToTryingMs: trying.atMs };
  });

  const wakeup = await run.step('wakeup-received', { callId: call.callId }, async () => {
    const started = performance.now();
    while (performance.now() - started < WAKEUP_WAIT_MS) {
      const received = await (await fetch(receiver)).json();
      const found = received.find((e) => e.type === 'callee.wakeup' && e.data.callId === call.callId);
      if (found) return { data: found.data, afterMs: Math.round(performance.now() - started) };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no callee.wakeup for ${call.callId} at the receiver within ${WAKEUP_WAIT_MS} ms`);
  });
  if (wakeup.data.user !== calleeUser) throw new Error(`woke ${wakeup.data.user}, not ${calleeUser}`);

  await run.step('callee-wakes', { page: callee.name }, async () => {
    await run.load(callee);
    // The add-on must be on the socket before OPEN: CALL-INCOMING follows OPEN at once.
    await callee.page.evaluate(() => { window.onPeerCreated = () => window.callsHarness.attach(); });
    const opened = await callee.open();
    if (opened.error) throw new Error(`peerjs error ${opened.error.type}: ${opened.error.message}`);
    callee.id = opened.id;
    const incoming = await sb(callee, 'awaitIncoming');
    if (incoming.callId !== call.callId) throw new Error(`rung for ${incoming.callId}, not ${call.callId}`);
    if (incoming.metadata?.topic !== 'wake up') throw new Error(`metadata not passed: ${JSON.stringify(incoming.metadata)}`);
    return { id: opened.id, callId: incoming.callId, from: incoming.from };
  });

  await run.step('accept-and-media', { by: callee.name }, async () => {
    await sb(callee, 'accept', call.callId);
    const accepted = await sb(caller, 'awaitEvent', call.callId, 'accepted');
    if (accepted.detail[0].peer !== callee.id) throw new Error(`accepted by ${accepted.detail[0].peer}`);
    const [atCaller, atCallee] = await Promise.all([sb(caller, 'remoteMedia', call.callId), sb(callee, 'remoteMedia', call.callId)]);
    requireMedia(caller.name, atCaller, callee.id);
    requireMedia(callee.name, atCallee, caller.id);
    return { acceptedBy: accepted.detail[0].peer, atCaller, atCallee };
  });

  await run.step('hangup', { by: caller.name }, async () => {
    await sb(caller, 'hangup', call.callId);
    const ended = await sb(callee, 'awaitEvent', call.callId, 'ended');
    return { callee: ended.detail[0] };
  });
}

// The "calls" scenario of browser-peers.mjs: peerjs-patches/switchboard.js in unmodified PeerJS 1.5.5
// pages against a broker with calls. Pages (in this order): the caller, then two devices of the callee
// user; the spec's "calls" object names the two users and the broker's reconnect grace:
//   "calls": {"caller": "alice", "callee": "bob", "graceMs": 1000}
// Each page loads ../../../peerjs-patches/switchboard.js and calls-harness.js as extra scripts.
//
// Steps, one browser and the same three pages throughout:
//   attach, ring-both-accept-one (media to the acceptor), hangup, reconnect, decline, busy, cancel,
//   missed, tab-closed (the accepting device's page closes mid-call), data-echo (PeerJS's own signalling
//   still works next to the add-on).

const RING_MIN_MS = 5000; // the broker clamps ringMs to at least this

export async function callsScenario(run, { openPeer, dataEcho }) {
  const [caller, phone, laptop] = run.requirePages(3);
  const devices = [phone, laptop];
  const { caller: callerUser, callee, graceMs } = run.spec.calls || {};
  if (!callerUser || !callee || !Number.isInteger(graceMs)) throw new Error('spec.calls needs caller, callee and graceMs');

  for (const page of [caller, ...devices]) await openPeer(run, page);
  for (const page of [caller, ...devices]) {
    await run.step('attach', { page: page.name }, () => sb(page, 'attach'));
  }

  await run.step('ring-both-accept-one', { caller: caller.name, accepts: phone.name }, async () => {
    const { call, rung } = await ringBoth(caller, devices, callee, { metadata: { topic: 'standup' } });
    for (const r of rung) {
      if (r.from !== callerUser || r.fromPeer !== caller.id) throw new Error(`incoming from ${r.from}/${r.fromPeer}`);
      if (r.metadata?.topic !== 'standup') throw new Error(`metadata not passed: ${JSON.stringify(r.metadata)}`);
    }
    const ringing = await sb(caller, 'awaitEvent', call.callId, 'ringing');
    await sb(phone, 'accept', call.callId);
    const [accepted, elsewhere, acceptorAccepted] = await Promise.all([
      sb(caller, 'awaitEvent', call.callId, 'accepted'),
      expectEnded(laptop, call.callId, 'answered_elsewhere'),
      sb(phone, 'awaitEvent', call.callId, 'accepted'),
    ]);
    if (accepted.detail[0].peer !== phone.id) throw new Error(`accepted by ${accepted.detail[0].peer}, not ${phone.id}`);
    if (acceptorAccepted.detail[0].peer !== caller.id) throw new Error(`acceptor was told caller ${acceptorAccepted.detail[0].peer}`);
    const [atCaller, atAcceptor] = await Promise.all([sb(caller, 'remoteMedia', call.callId), sb(phone, 'remoteMedia', call.callId)]);
    requireMedia(caller.name, atCaller, phone.id);
    requireMedia(phone.name, atAcceptor, caller.id);
    const trying = await sb(caller, 'awaitEvent', call.callId, 'trying');
    run.callId = call.callId;
    return {
      callId: call.callId, devices: trying.detail[0].devices, acceptedBy: accepted.detail[0].peer,
      elsewhere: elsewhere.detail[0], inviteToTryingMs: trying.atMs, inviteToRingingMs: ringing.atMs,
      atCaller, atAcceptor,
    };
  });

  await run.step('hangup', { by: caller.name }, async () => {
    const callId = run.callId;
    await sb(caller, 'hangup', callId, 'done');
    const [atCaller, atAcceptor] = await Promise.all([
      sb(caller, 'awaitEvent', callId, 'ended'), expectEnded(phone, callId, 'hangup')]);
    if (atAcceptor.detail[1]?.detail !== 'done') throw new Error(`hang-up detail not passed on: ${JSON.stringify(atAcceptor.detail)}`);
    const media = await sb(phone, 'state', callId);
    if (media.connectionOpen) throw new Error('the acceptor\'s media connection is still open after the hang-up');
    return { caller: atCaller.detail, acceptor: atAcceptor.detail };
  });

  // The add-on listens on PeerJS's socket object, which peer.reconnect() keeps: calls still ring.
  await run.step('reconnect', { page: phone.name }, () => sb(phone, 'reconnect'));

  await run.step('decline', { by: laptop.name }, async () => {
    const { call } = await ringBoth(caller, devices, callee);
    await sb(laptop, 'reject', call.callId, 'declined');
    const [atCaller, atOther] = await Promise.all([
      expectEnded(caller, call.callId, 'declined'), expectEnded(phone, call.callId, 'rejected_elsewhere')]);
    return { caller: atCaller.detail[0], otherDevice: atOther.detail[0] };
  });

  await run.step('busy', { by: `${phone.name}+${laptop.name}` }, async () => {
    const { call } = await ringBoth(caller, devices, callee);
    await sb(phone, 'reject', call.callId, 'busy');
    // One device left ringing: the call goes on until the last one is busy too.
    const stillRinging = await sb(caller, 'state', call.callId);
    if (stillRinging.state === 'ended') throw new Error(`one busy device ended the call: ${stillRinging.reason}`);
    await sb(laptop, 'reject', call.callId, 'busy');
    const [atCaller, atLaptop] = await Promise.all([
      expectEnded(caller, call.callId, 'busy'), expectEnded(laptop, call.callId, 'busy')]);
    // The laptop's call ended by its own reject, not by the broker after the phone's busy.
    if (!atLaptop.detail[1]?.local) throw new Error(`the broker ended the laptop's call: ${JSON.stringify(atLaptop.detail)}`);
    return { caller: atCaller.detail[0] };
  });

  await run.step('cancel', { by: caller.name }, async () => {
    const { call } = await ringBoth(caller, devices, callee);
    await sb(caller, 'awaitEvent', call.callId, 'ringing');
    await sb(caller, 'cancel', call.callId);
    const ended = await Promise.all(devices.map((d) => expectEnded(d, call.callId, 'cancelled')));
    return { devices: ended.map((e) => e.detail[0]) };
  });

  await run.step('missed', { ringMs: RING_MIN_MS }, async () => {
    const { call } = await ringBoth(caller, devices, callee, { ringMs: RING_MIN_MS });
    const [atCaller, ...atDevices] = await Promise.all([caller, ...devices].map((p) => expectEnded(p, call.callId, 'missed', RING_MIN_MS + 5000)));
    if (atCaller.atMs < RING_MIN_MS - 500) throw new Error(`missed after ${atCaller.atMs} ms, before the ${RING_MIN_MS} ms ring`);
    return { callerEndedAtMs: atCaller.atMs, devices: atDevices.map((e) => e.detail[0]) };
  });

  await run.step('tab-closed', { closes: laptop.name, graceMs }, async () => {
    const { call } = await ringBoth(caller, devices, callee);
    await sb(laptop, 'accept', call.callId);
    await expectEnded(phone, call.callId, 'answered_elsewhere');
    requireMedia(caller.name, await sb(caller, 'remoteMedia', call.callId), laptop.id);
    const closedAt = performance.now();
    await laptop.page.close();
    const ended = await expectEnded(caller, call.callId, 'remote_disconnected', graceMs + 10000);
    const afterCloseMs = Math.round(performance.now() - closedAt);
    if (afterCloseMs < graceMs) throw new Error(`ended ${afterCloseMs} ms after the tab closed, inside the ${graceMs} ms grace`);
    const events = await sb(caller, 'events', call.callId);
    return { afterCloseMs, reason: ended.detail[0], callerEvents: events.map((e) => `${e.name}@${e.atMs}`) };
  });

  await dataEcho(run, caller, phone);
}

export function sb(page, method, ...args) {
  return page.page.evaluate(([m, a]) => window.callsHarness[m](...a), [method, args]);
}

// The caller invites the callee user; both devices get the call. Returns the caller's call and what
// each device saw.
async function ringBoth(caller, devices, callee, options = {}) {
  const call = await sb(caller, 'invite', callee, options);
  const rung = await Promise.all(devices.map((d) => sb(d, 'awaitIncoming')));
  for (const r of rung) {
    if (r.callId !== call.callId) throw new Error(`device got call ${r.callId}, caller made ${call.callId}`);
  }
  const trying = await sb(caller, 'awaitEvent', call.callId, 'trying');
  if (trying.detail[0].devices !== devices.length) throw new Error(`trying reports ${trying.detail[0].devices} devices, not ${devices.length}`);
  return { call, rung };
}

async function expectEnded(page, callId, reason, timeoutMs = 5000) {
  const ended = await sb(page, 'awaitEvent', callId, 'ended', timeoutMs);
  if (ended.detail[0] !== reason) throw new Error(`${page.name}: call ended with ${ended.detail[0]}, expected ${reason}`);
  return ended;
}

export function requireMedia(name, view, from) {
  for (const kind of ['audio', 'video']) {
    if (!view.tracks.some((t) => t.kind === kind && t.readyState === 'live')) {
      throw new Error(`${name}'s remote stream has no live ${kind} track: ${JSON.stringify(view.tracks)}`);
    }
  }
  if (!(view.frame.width > 0)) throw new Error(`${name} decoded no remote video frame: ${JSON.stringify(view.frame)}`);
  if (!(view.framesDecoded > 0)) throw new Error(`${name}'s getStats shows no decoded frames`);
  if (view.connectionPeer !== from) throw new Error(`${name}'s media is with ${view.connectionPeer}, not ${from}`);
  if (!view.isCallMedia) throw new Error(`${name}'s media connection carries no call id: ${JSON.stringify(view.metadata)}`);
}

// The "turn" scenario of browser-peers.mjs: two unmodified PeerJS 1.5.5 pages get TURN credentials from
// Switchboard brokers and connect through a real coturn with iceTransportPolicy "relay". Pages (A, B)
// load ../../../peerjs-patches/switchboard.js and turn-harness.js; their peer option holds id and token.
//   "turn": {"ports": {"main": 1, "expired": 2, "foreign": 3, "rotated": 4}}
// main signs with a secret coturn holds; expired with the same secret but a clock two ttls behind;
// foreign with a secret coturn does not hold; rotated with coturn's second secret, moved first.
//
// Steps: http-open (GET /ice, then new Peer), http-data (relayed, timed from open), http-media,
// push-open (ICE-SERVERS through the add-on), push-data, gather-valid, gather-expired, gather-foreign,
// rotated-open, rotated-data.

const RELAY = { iceTransportPolicy: 'relay' };

export async function turnScenario(run) {
  const [a, b] = run.requirePages(2);
  const { ports } = run.spec.turn || {};
  if (!ports || !ports.main || !ports.expired || !ports.foreign || !ports.rotated) throw new Error('spec.turn.ports needs main, expired, foreign, rotated');
  const on = (page, port) => ({ ...page.peerOptions, port });
  const t = (page, method, ...args) => page.page.evaluate(([m, x]) => window.turnHarness[m](...x), [method, args]);

  // 1. GET /ice before new Peer.
  for (const page of [b, a]) {
    await run.step('http-open', { page: page.name }, async () => {
      const answer = await t(page, 'fetchIce', on(page, ports.main));
      const opened = await t(page, 'open', page.requestedId, { ...on(page, ports.main), config: { ...RELAY, iceServers: answer.iceServers } }, false);
      requireTurn(opened.iceServers, page.requestedId);
      return { answer: { ttl: answer.ttl, expiresAt: answer.expiresAt, username: answer.iceServers[0].username }, openMs: opened.openMs };
    });
  }
  await run.step('http-data', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedData', b.requestedId);
    requireRelay(result.pair, a.name);
    requireRelay(await t(b, 'lastIncomingPair'), b.name);
    return result;
  });
  await run.step('http-media', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedCall', b.requestedId);
    if (!(result.frame.width > 0)) throw new Error(`no video frame: ${JSON.stringify(result)}`);
    requireRelay(result.pair, a.name);
    return result;
  });

  // 2. ICE-SERVERS pushed after OPEN: the pages start with no servers at all.
  for (const page of [b, a]) {
    await run.step('push-open', { page: page.name }, async () => {
      const opened = await t(page, 'open', page.requestedId, { ...on(page, ports.main), config: { ...RELAY, iceServers: [] } }, true);
      requireTurn(opened.iceServers, page.requestedId);
      if (opened.iceTransportPolicy !== 'relay') throw new Error('the add-on lost iceTransportPolicy');
      return { openMs: opened.openMs, pushed: { ttl: opened.pushed.ttl, username: opened.iceServers[0].username } };
    });
  }
  await run.step('push-data', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedData', b.requestedId);
    requireRelay(result.pair, a.name);
    return result;
  });
  await run.step('push-media', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedCall', b.requestedId);
    if (!(result.frame.width > 0)) throw new Error(`no video frame: ${JSON.stringify(result)}`);
    requireRelay(result.pair, a.name);
    return result;
  });

  // 3. Credentials coturn must refuse gather no relay candidate; a valid one (the control) does.
  const gather = (name, port, expectRelay) => run.step(name, { page: a.name }, async () => {
    const answer = await t(a, 'fetchIce', on(a, port));
    const turnOnly = answer.iceServers.filter((s) => s.username);
    const result = await t(a, 'gather', turnOnly);
    const relays = result.types.filter((x) => x === 'relay').length;
    if (expectRelay && relays === 0) throw new Error(`no relay candidate with a valid credential: ${JSON.stringify(result)}`);
    if (!expectRelay && relays > 0) throw new Error(`coturn relayed with a credential it must refuse: ${JSON.stringify(result)}`);
    return { username: turnOnly[0].username, expiresAt: answer.expiresAt, ...result };
  });
  await gather('gather-valid', ports.main, true);
  await gather('gather-expired', ports.expired, false);
  await gather('gather-foreign', ports.foreign, false);

  // 4. After a rotation: coturn holds both secrets, the broker signs with the new one.
  for (const page of [b, a]) {
    await run.step('rotated-open', { page: page.name }, async () => {
      const answer = await t(page, 'fetchIce', on(page, ports.rotated));
      const opened = await t(page, 'open', page.requestedId, { ...on(page, ports.rotated), config: { ...RELAY, iceServers: answer.iceServers } }, true);
      return { username: opened.iceServers[0].username };
    });
  }
  await run.step('rotated-data', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedData', b.requestedId);
    requireRelay(result.pair, a.name);
    return result;
  });
  await run.step('rotated-media', { from: a.name, to: b.name }, async () => {
    const result = await t(a, 'relayedCall', b.requestedId);
    requireRelay(result.pair, a.name);
    return { frame: result.frame, pair: result.pair };
  });
}

function requireTurn(iceServers, id) {
  const turn = (iceServers || []).find((s) => s.username);
  if (!turn || !String(turn.urls[0]).startsWith('turn:')) throw new Error(`no TURN server configured: ${JSON.stringify(iceServers)}`);
  if (!turn.username.endsWith(`:${id}`)) throw new Error(`credential for ${turn.username}, not ${id}`);
}

function requireRelay(pair, name) {
  if (!pair || pair.state !== 'succeeded' || pair.local !== 'relay') throw new Error(`${name}'s selected pair is not a relay: ${JSON.stringify(pair)}`);
}

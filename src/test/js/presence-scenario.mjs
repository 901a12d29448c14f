// The "presence" scenario of browser-peers.mjs: peerjs-patches/switchboard.js's presence module in
// unmodified PeerJS 1.5.5 pages. Pages (in this order): the watcher, then two users who call each
// other; the spec's "presence" object names the users and the broker's reconnect grace:
//   "presence": {"watched": "alice", "other": "bob", "graceMs": 1000}
// Pages load ../../../peerjs-patches/switchboard.js, calls-harness.js and presence-harness.js.
//
// Steps: attach, watch (snapshot: the watched user online with one device), busy (the watched user's
// call is accepted: busy, then online after the hang-up), away (a status the user sets), offline (the
// watched user's tab closes: offline with no devices, not before the grace is over).

export async function presenceScenario(run, { openPeer }) {
  const [watcher, watched, other] = run.requirePages(3);
  const { watched: user, other: otherUser, graceMs } = run.spec.presence || {};
  if (!user || !otherUser || !Number.isInteger(graceMs)) throw new Error('spec.presence needs watched, other and graceMs');

  for (const page of [watcher, watched, other]) await openPeer(run, page);
  await run.step('attach', {}, async () => {
    await presence(watcher, 'attach');
    for (const page of [watched, other]) await calls(page, 'attach');
    await presence(watched, 'attach');
    return {};
  });

  await run.step('watch', { watcher: watcher.name, user }, async () => {
    const snapshot = await presence(watcher, 'watch', [user, 'nobody-known']);
    const entry = snapshot[user];
    if (!entry || entry.status !== 'online' || entry.devices !== 1) throw new Error(`snapshot ${JSON.stringify(snapshot)}`);
    return { snapshot };
  });

  await run.step('busy', { caller: watched.name, callee: other.name }, async () => {
    const since = await presence(watcher, 'now');
    const call = await calls(watched, 'invite', otherUser, {});
    await calls(other, 'awaitIncoming');
    await calls(other, 'accept', call.callId);
    await calls(watched, 'awaitEvent', call.callId, 'accepted');
    const busy = await presence(watcher, 'awaitStatus', user, 'busy', since);
    const hungUp = await presence(watcher, 'now');
    await calls(watched, 'hangup', call.callId, 'done');
    const online = await presence(watcher, 'awaitStatus', user, 'online', hungUp);
    return { busyAfterMs: Math.round(busy.at - since), onlineAfterHangupMs: Math.round(online.at - hungUp) };
  });

  await run.step('away', { by: watched.name }, async () => {
    const since = await presence(watcher, 'now');
    await presence(watched, 'set', 'away', 'lunch');
    const away = await presence(watcher, 'awaitStatus', user, 'away', since);
    if (away.note !== 'lunch') throw new Error(`note ${JSON.stringify(away.note)}`);
    return { note: away.note, afterMs: Math.round(away.at - since) };
  });

  await run.step('offline', { closes: watched.name, graceMs }, async () => {
    const since = await presence(watcher, 'now');
    await watched.page.close();
    const offline = await presence(watcher, 'awaitStatus', user, 'offline', since, graceMs + 10000);
    const afterCloseMs = Math.round(offline.at - since);
    if (afterCloseMs < graceMs) throw new Error(`offline ${afterCloseMs} ms after the tab closed, inside the ${graceMs} ms grace`);
    if (offline.devices !== 0) throw new Error(`offline with ${offline.devices} devices`);
    const flaps = (await presence(watcher, 'changes')).filter((c) => c.user === user && c.at >= since && c.status !== 'offline');
    if (flaps.length) throw new Error(`changes before offline: ${JSON.stringify(flaps)}`);
    return { afterCloseMs, devices: offline.devices };
  });
}

function presence(page, method, ...args) {
  return page.page.evaluate(([m, a]) => window.presenceHarness[m](...a), [method, args]);
}

function calls(page, method, ...args) {
  return page.page.evaluate(([m, a]) => window.callsHarness[m](...a), [method, args]);
}

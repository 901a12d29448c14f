// The "rooms" scenario of browser-peers.mjs: peerjs-patches/switchboard.js's rooms in unmodified PeerJS
// 1.5.5 pages. Three pages, each loading ../../../peerjs-patches/switchboard.js and rooms-harness.js.
//
// Steps: attach; two-seats (A creates a room of 2, A and B join, C is refused with `full`); mesh (A
// creates a room of 3, all three join with {mesh: true}; every page ends with an open DataConnection to
// each other page, and a message each page sends reaches both others).

export async function roomsScenario(run, { openPeer }) {
  const pages = run.requirePages(3);
  const [a, b, c] = pages;
  for (const page of pages) await openPeer(run, page);
  for (const page of pages) await run.step('attach', { page: page.name }, () => rh(page, 'attach'));

  await run.step('two-seats', {}, async () => {
    const created = await rh(a, 'create', { roomId: 'duo', capacity: 2 });
    if (created.roomId !== 'duo' || created.capacity !== 2) throw new Error(`created ${JSON.stringify(created)}`);
    const first = await rh(a, 'join', 'duo', {});
    const second = await rh(b, 'join', 'duo', {});
    const third = await rh(c, 'join', 'duo', {});
    if (first.error || second.error) throw new Error(`a join was refused: ${JSON.stringify([first, second])}`);
    if (JSON.stringify(second.members) !== JSON.stringify([a.id])) throw new Error(`B found ${JSON.stringify(second.members)}`);
    return { first, second, third };
  });

  await run.step('mesh', {}, async () => {
    const created = await rh(a, 'create', { capacity: 3 });
    const roomId = created.roomId;
    if (!/^[0-9a-f]{32}$/.test(roomId || '')) throw new Error(`no generated room id: ${JSON.stringify(created)}`);
    const joins = [];
    for (const page of pages) joins.push(await rh(page, 'join', roomId, { mesh: true }));
    const refused = joins.filter((j) => j.error);
    if (refused.length) throw new Error(`refused: ${JSON.stringify(refused)}`);
    const meshes = await Promise.all(pages.map((p) => rh(p, 'awaitMesh', roomId, 2)));
    for (const page of pages) await rh(page, 'sendAll', roomId, `hello from ${page.id}`);
    const got = await Promise.all(pages.map((p) => rh(p, 'awaitReceived', roomId, 2)));
    const result = {};
    pages.forEach((page, i) => {
      result[page.name] = { connectedTo: meshes[i], heardFrom: got[i].map((m) => m.from).sort(), messages: got[i].map((m) => m.data).sort() };
    });
    return result;
  });
}

function rh(page, method, ...args) {
  return page.page.evaluate(([m, a]) => window.roomsHarness[m](...a), [method, args]);
}

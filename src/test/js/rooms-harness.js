// Runs inside test pages that load peerjs-patches/switchboard.js: drives its rooms API for the node
// driver (rooms-scenario.mjs) through window.roomsHarness.*. Results are plain JSON; a refused request
// resolves to {error: code} so the driver can check the code.
(() => {
  let rooms;
  const members = [];   // every 'member' event
  const open = {};      // roomId -> {peer: DataConnection} opened (either direction)
  const received = {};  // roomId -> [{from, data}]
  const waiters = [];

  const settle = () => {
    for (const w of waiters.slice()) {
      if (w.ready()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(w.value());
      }
    }
  };

  const until = (ready, value, ms, what) => new Promise((resolve, reject) => {
    if (ready()) return resolve(value());
    const waiter = { ready, value, resolve };
    waiters.push(waiter);
    setTimeout(() => {
      const at = waiters.indexOf(waiter);
      if (at >= 0) {
        waiters.splice(at, 1);
        reject(new Error(`no ${what} within ${ms} ms`));
      }
    }, ms);
  });

  const outcome = (promise) => promise.then((r) => r, (err) => ({ error: err.code, msg: err.message }));

  window.roomsHarness = {
    attach() {
      rooms = Switchboard.attach(window.harness.peerObject()).rooms;
      rooms.on('member', (m) => { members.push(m); settle(); });
      rooms.on('connection', ({ roomId, peer, connection }) => {
        (open[roomId] = open[roomId] || {})[peer] = connection;
        connection.on('data', (data) => {
          (received[roomId] = received[roomId] || []).push({ from: connection.peer, data });
          settle();
        });
        settle();
      });
      return true;
    },
    create(options) {
      return outcome(rooms.create(options));
    },
    join(roomId, options) {
      return outcome(rooms.join(roomId, options));
    },
    leave(roomId) {
      return outcome(rooms.leave(roomId));
    },
    members: () => members,
    // Waits until `count` mesh connections of the room are open; answers their peers.
    awaitMesh(roomId, count, ms = 10000) {
      const peers = () => Object.keys(open[roomId] || {}).filter((p) => open[roomId][p].open).sort();
      return until(() => peers().length >= count, peers, ms, `${count} open connections in ${roomId}`);
    },
    sendAll(roomId, text) {
      const connections = open[roomId] || {};
      Object.keys(connections).forEach((p) => connections[p].send(text));
      return Object.keys(connections).length;
    },
    awaitReceived(roomId, count, ms = 10000) {
      const got = () => (received[roomId] || []).map((m) => ({ from: m.from, data: m.data }));
      return until(() => got().length >= count, got, ms, `${count} messages in ${roomId}`);
    },
  };
})();

// Runs inside test pages that load peerjs-patches/switchboard.js: drives its presence API for the node
// driver (presence-scenario.mjs) through window.presenceHarness.*, recording every 'change' event with
// its time so the driver can wait for a user's status. Results are plain JSON.
(() => {
  const changes = [];
  const waiters = [];
  let presence;

  const now = () => performance.now();

  function settle() {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      const hit = changes.find((c) => c.at >= w.since && c.user === w.user && c.status === w.status);
      if (hit) {
        waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(hit);
      }
    }
  }

  window.presenceHarness = {
    attach() {
      presence = Switchboard.attach(window.harness.peerObject()).presence;
      presence.on('change', (change) => {
        changes.push({ ...change, at: now() });
        settle();
      });
      return { attached: true };
    },

    watch(users) {
      return presence.watch(users);
    },

    set(status, note) {
      presence.set(status, note);
      return { set: status };
    },

    // Resolves with the first change of `user` to `status` seen at or after `since` (page ms).
    awaitStatus(user, status, since = 0, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const waiter = { user, status, since, resolve };
        waiter.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`${user} did not become ${status} within ${timeoutMs} ms; changes: ${JSON.stringify(changes)}`));
        }, timeoutMs);
        waiters.push(waiter);
        settle();
      });
    },

    changes() {
      return changes;
    },

    now,
  };
})();

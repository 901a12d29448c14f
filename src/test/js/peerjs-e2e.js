// The scenarios of PeerJS 1.5.5's own end-to-end suite (e2e/ of peers/peerjs: peer/, mediachannel/,
// datachannel/serialization_*), rewritten for this harness: every page loads this after peerjs.min.js,
// and browser-peers.mjs's "peerjs-e2e" scenario calls window.peerjsE2e.* in the pages. As upstream,
// each scenario makes its own Peers without an id (the broker hands one out) and waits for PeerJS's
// events; results are plain JSON, failures are thrown with the reason.
(() => {
  const describe = (err) => ({ type: err && err.type, message: String((err && err.message) || err) });

  // Resolves with the first of PeerJS's events in `events` the emitter fires (name and argument).
  const firstOf = (emitter, events, ms, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: none of ${events.join(', ')} within ${ms} ms`)), ms);
    for (const name of events) {
      emitter.once(name, (arg) => {
        clearTimeout(timer);
        resolve({ event: name, arg });
      });
    }
  });

  const opened = async (peer, what) => {
    const first = await firstOf(peer, ['open', 'error'], 10000, what);
    if (first.event === 'error') throw new Error(`${what}: peerjs error ${first.arg.type}: ${first.arg.message}`);
    return first.arg;
  };

  // --- Data sets: the kinds upstream's data.js covers (numbers of each width, strings across the
  // planes, a long string, structured records, binary views, dates), with values of our own.

  const records = Array.from({ length: 24 }, (_, i) => ({
    id: `rec-${i}`,
    title: i % 3 ? `Entry ${i}` : `Éntrée ${i} — ☃ ${'✓'.repeat(i % 5)}`,
    count: i * 37 - 200,
    ratio: i / 7,
    active: i % 2 === 0,
    missing: null,
    tags: Array.from({ length: i % 4 }, (_, t) => `tag${t}`),
    author: { name: `Person ${i}`, email: `person${i}@example.org`, joined: `2020-0${1 + (i % 9)}-1${i % 10}` },
    history: [{ at: i, what: 'created' }, { at: i + 1, what: 'edited', by: { name: 'Ann' } }],
  }));
  const numbers = [0, 1, -1, Math.E, -Math.E, 0x7e, 0x10, 0x7ffe, 0x1000, 0x7ffffffe, 0x10000000,
    2 ** 40 + 3, -(2 ** 35), 0x0ffffffffffff00, 1e-7];
  const strings = ['', 'signal', 'naïve façade', '日本語のテキスト', 'mixed 🎈 text 𝒜 with ✈ symbols', '\u{10fffd}\u{1f600}'];
  const longString = 'Lång-Strïng·'.repeat(60000);
  const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);
  const uint8Arrays = [new Uint8Array(0), bytes(1, 9), bytes(9, 1), bytes(17, 4), bytes(33, 7)];
  const int32Arrays = [Int32Array.of(-5), Int32Array.from({ length: 9 }, (_, i) => -i * 1001),
    Int32Array.from({ length: 30 }, (_, i) => (i % 2 ? 1 : -1) * i * 65599)];
  const viewBase = bytes(40, 3);
  const typedArrayView = new Uint8Array(viewBase.buffer, 5, 21);
  const dates = [new Date(Date.UTC(2023, 10, 5, 14, 3, 9, 250)), new Date(Date.UTC(1969, 6, 20, 20, 17, 40, 0))];
  const encodeJson = (value) => new TextEncoder().encode(JSON.stringify(value)).buffer;
  const copyBuffer = (view) => view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);

  // Each case: what is sent (in order) and what the receiver must get, for one serialization.
  const cases = {
    numbers: { send: () => numbers, expect: () => numbers },
    strings: { send: () => strings, expect: () => strings },
    long_string: { send: () => [longString], expect: () => [longString] },
    objects: { send: () => records, expect: () => records },
    arrays: { send: () => [[], records], expect: () => [[], records] },
    arrays_unchunked: { send: () => [[], records.slice(0, 2)], expect: () => [[], records.slice(0, 2)] },
    blobs: { send: () => records.map((r) => new Blob([JSON.stringify(r)])), expect: () => records.map(encodeJson) },
    files: {
      send: () => records.map((r, i) => new File([JSON.stringify(r)], `record-${i}.json`, { type: 'application/x-test' })),
      expect: () => records.map(encodeJson),
    },
    dates_as_string: { send: () => dates, expect: () => dates.map((d) => d.toString()) },
    dates_as_json_string: { send: () => dates, expect: () => dates.map((d) => d.toJSON()) },
    dates: { send: () => dates, expect: () => dates },
    arraybuffers: { send: () => uint8Arrays.map((a) => a.slice().buffer), expect: () => uint8Arrays.map((a) => a.slice().buffer) },
    TypedArrayView_as_ArrayBuffer: { send: () => [typedArrayView], expect: () => [copyBuffer(typedArrayView)] },
    Uint8Array_as_ArrayBuffer: { send: () => uint8Arrays, expect: () => uint8Arrays.map((a) => a.slice().buffer) },
    Int32Array_as_ArrayBuffer: { send: () => int32Arrays, expect: () => int32Arrays.map((a) => a.slice().buffer) },
    typed_array_view: { send: () => [typedArrayView], expect: () => [typedArrayView.slice()] },
    Uint8Array: { send: () => uint8Arrays, expect: () => uint8Arrays },
    Int32Array_as_Uint8Array: { send: () => int32Arrays, expect: () => int32Arrays.map((a) => new Uint8Array(a.slice().buffer)) },
  };

  // Deep equality that also tells an ArrayBuffer from a Uint8Array and a Date from its string.
  const kindOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Object.prototype.toString.call(v).slice(8, -1));
  function difference(got, want, at = '$') {
    const kind = kindOf(want);
    if (kindOf(got) !== kind) return `${at}: got ${kindOf(got)}, want ${kind}`;
    if (kind === 'Date') return got.getTime() === want.getTime() ? null : `${at}: got ${got.toJSON()}, want ${want.toJSON()}`;
    if (kind === 'ArrayBuffer' || ArrayBuffer.isView(want)) {
      const g = new Uint8Array(got.buffer ? copyBuffer(got) : got);
      const w = new Uint8Array(want.buffer ? copyBuffer(want) : want);
      return g.length === w.length && g.every((b, i) => b === w[i]) ? null : `${at}: bytes differ (${g.length} vs ${w.length})`;
    }
    if (kind === 'array') {
      if (got.length !== want.length) return `${at}: length ${got.length}, want ${want.length}`;
      for (let i = 0; i < want.length; i++) {
        const d = difference(got[i], want[i], `${at}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    if (kind === 'Object') {
      const keys = Object.keys(want);
      if (Object.keys(got).length !== keys.length) return `${at}: keys ${Object.keys(got)}, want ${keys}`;
      for (const key of keys) {
        const d = difference(got[key], want[key], `${at}.${key}`);
        if (d) return d;
      }
      return null;
    }
    return Object.is(got, want) ? null : `${at}: got ${JSON.stringify(got)?.slice(0, 80)}, want ${JSON.stringify(want)?.slice(0, 80)}`;
  }

  let serializers = {};
  let receiver;
  let sender;
  const inbox = new Map(); // case label -> {received, closed: Promise}
  const calls = [];
  const loadMsgPack = async () => {
    if (!serializers.MsgPack) serializers = { MsgPack: (await import('/serializer.msgpack.mjs')).MsgPack };
  };

  window.peerjsE2e = {
    // peer/id-taken: ten Peers asking for an open id all get unavailable-id; the holder stays open.
    async idTaken(options, thieves) {
      const holder = new Peer(options);
      const id = await opened(holder, 'holder');
      const outcomes = await Promise.all(Array.from({ length: thieves }, (_, i) => {
        const thief = new Peer(id, options);
        return firstOf(thief, ['open', 'error'], 10000, `thief ${i}`).then((first) => {
          thief.destroy();
          return first.event === 'error' ? first.arg.type : 'opened';
        });
      }));
      const stillOpen = holder.open && !holder.disconnected;
      holder.destroy();
      if (outcomes.some((o) => o !== 'unavailable-id')) throw new Error(`not all refused: ${outcomes}`);
      if (!stillOpen) throw new Error('the holder lost its connection');
      return { id, outcomes };
    },

    // peer/server-unavailable: a Peer whose broker does not answer reports server-error.
    async serverUnavailable(options) {
      const peer = new Peer(options);
      const first = await firstOf(peer, ['open', 'error'], 15000, 'unreachable broker');
      peer.destroy();
      if (first.event !== 'error' || first.arg.type !== 'server-error') throw new Error(`got ${first.event} ${JSON.stringify(describe(first.arg))}`);
      return { error: describe(first.arg) };
    },

    // peer/disconnected: after disconnect(), connect() reports disconnected.
    async disconnected(options) {
      const peer = new Peer(options);
      await opened(peer, 'peer');
      const error = firstOf(peer, ['error'], 5000, 'connect after disconnect');
      peer.disconnect();
      peer.connect('otherid');
      const { arg } = await error;
      peer.destroy();
      if (arg.type !== 'disconnected') throw new Error(`got ${JSON.stringify(describe(arg))}`);
      return { error: describe(arg) };
    },

    // The receiving side of mediachannel/close and datachannel/serialization: one Peer for the run.
    async startReceiver(options) {
      await loadMsgPack();
      receiver = new Peer({ ...options, serializers });
      receiver.on('call', (call) => calls.push(call));
      receiver.on('connection', (conn) => {
        const entry = { received: [] };
        entry.closed = new Promise((resolve) => conn.once('close', resolve));
        conn.on('data', (data) => entry.received.push(data));
        inbox.set(conn.metadata.label, entry);
      });
      return { id: await opened(receiver, 'receiver') };
    },

    // mediachannel/close, callee: answers, and hangs up once the call is up; resolves on its close.
    async answerThenHangUp() {
      const started = performance.now();
      while (!calls.length) {
        if (performance.now() - started > 10000) throw new Error('no incoming call');
        await new Promise((r) => setTimeout(r, 20));
      }
      const call = calls.shift();
      const up = firstOf(call, ['willCloseOnRemote'], 10000, 'callee: call up');
      const closed = firstOf(call, ['close'], 10000, 'callee: close');
      call.answer(canvasStream('callee'));
      await up;
      call.close();
      await closed;
      return { closed: true };
    },

    // mediachannel/close, caller: calls and resolves when the callee's hang-up closed the call here.
    async callAndAwaitRemoteClose(options, remoteId) {
      const peer = new Peer(options);
      await opened(peer, 'caller');
      const call = peer.call(remoteId, canvasStream('caller'));
      const closed = firstOf(call, ['close'], 15000, 'caller: close after the remote hang-up');
      await firstOf(call, ['stream'], 10000, 'caller: remote stream');
      await closed;
      peer.destroy();
      return { closed: true };
    },

    // datachannel/serialization, sender: one connection per case, everything sent, closed with flush.
    async send(options, remoteId, serialization, name) {
      if (!sender) {
        await loadMsgPack();
        sender = new Peer({ ...options, serializers });
        await opened(sender, 'sender');
      }
      const label = `${serialization}:${name}`;
      const conn = sender.connect(remoteId, { reliable: true, serialization, metadata: { label } });
      await firstOf(conn, ['open'], 10000, `${label}: open`);
      for (const item of cases[name].send()) await conn.send(item);
      conn.close({ flush: true });
      await firstOf(conn, ['close'], 15000, `${label}: close`);
      return { label };
    },

    // datachannel/serialization, receiver: waits for the sender's close, then compares.
    async check(serialization, name) {
      const label = `${serialization}:${name}`;
      const started = performance.now();
      while (!inbox.has(label)) {
        if (performance.now() - started > 10000) throw new Error(`${label}: no connection arrived`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const entry = inbox.get(label);
      await Promise.race([entry.closed, new Promise((_, reject) => setTimeout(() => reject(new Error(`${label}: not closed`)), 15000))]);
      const problem = difference(entry.received, cases[name].expect());
      if (problem) throw new Error(`${label}: ${problem}`);
      return { label, items: entry.received.length };
    },
  };

  function canvasStream(text) {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 90;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = 'black';
    ctx.font = '24px sans-serif';
    ctx.fillText(text, 10, 50);
    document.body.append(canvas);
    return canvas.captureStream(15);
  }
})();

// Runs inside test pages that load peerjs-patches/switchboard.js: drives its calls API for the node
// driver (calls-scenario.mjs) through window.callsHarness.*, recording every event of every call with
// its time so the driver can wait for one and measure latencies. Results are plain JSON.
(() => {
  const EVENTS = ['trying', 'ringing', 'accepted', 'stream', 'mediaclose', 'ended', 'error'];
  const records = new Map(); // callId -> {call, events: [{name, detail, at}], waiters: [...]}
  const incoming = [];
  const incomingWaiters = [];
  let switchboard;

  const now = () => performance.now();

  const plain = (value) => {
    if (value instanceof MediaStream) return { streamId: value.id };
    try {
      return JSON.parse(JSON.stringify(value ?? null));
    } catch (e) {
      return String(value);
    }
  };

  const describeCall = (call) => ({
    callId: call.callId, direction: call.direction, state: call.state, peer: call.peer, from: call.from,
    fromPeer: call.fromPeer, to: call.to, media: plain(call.media), metadata: plain(call.metadata),
    expiresAt: call.expiresAt, reason: call.reason, connectionOpen: !!(call.connection && call.connection.open),
  });

  function track(call) {
    const record = { call, events: [], waiters: [], created: now() };
    records.set(call.callId, record);
    for (const name of EVENTS) {
      call.on(name, (...args) => {
        const event = { name, detail: args.map(plain), at: now() };
        record.events.push(event);
        record.waiters = record.waiters.filter((w) => !(w.name === name && (w.resolve(event), true)));
      });
    }
    return record;
  }

  function recordOf(callId) {
    const record = records.get(callId);
    if (!record) throw new Error(`no call ${callId} on this page`);
    return record;
  }

  const withTimeout = (promise, ms, what) => Promise.race([promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

  const localStream = () => navigator.mediaDevices.getUserMedia({ audio: true, video: true });

  const firstVideoFrame = (stream) => new Promise((resolve, reject) => {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    video.addEventListener('loadeddata', () => resolve({ width: video.videoWidth, height: video.videoHeight }), { once: true });
    document.body.append(video);
    video.play().catch(reject);
  });

  async function framesDecoded(connection) {
    const stats = await connection.peerConnection.getStats();
    let frames = 0;
    stats.forEach((report) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded || 0;
    });
    return frames;
  }

  window.callsHarness = {
    attach(options) {
      switchboard = Switchboard.attach(window.harness.peerObject(), options);
      if (Switchboard.attach(window.harness.peerObject()) !== switchboard) throw new Error('attach is not idempotent');
      switchboard.calls.on('incoming', (call) => {
        track(call);
        const waiter = incomingWaiters.shift();
        if (waiter) waiter(call);
        else incoming.push(call);
      });
      return { attached: true };
    },

    invite(to, options = {}) {
      const call = switchboard.calls.invite(to, { ...options, stream: localStream() });
      const record = track(call);
      record.created = now();
      return describeCall(call);
    },

    async awaitIncoming(timeoutMs = 5000) {
      const call = incoming.shift() || await withTimeout(new Promise((r) => incomingWaiters.push(r)), timeoutMs, 'incoming call');
      return { ...describeCall(call), msSinceCreated: Math.round(now() - recordOf(call.callId).created) };
    },

    // The first `name` event of the call (already seen or still to come) and ms since the call began.
    async awaitEvent(callId, name, timeoutMs = 5000) {
      const record = recordOf(callId);
      const seen = record.events.find((e) => e.name === name);
      const event = seen || await withTimeout(new Promise((resolve) => record.waiters.push({ name, resolve })), timeoutMs,
        `${name} event on call ${callId}`);
      return { name, detail: event.detail, atMs: Math.round(event.at - record.created), at: event.at, state: record.call.state };
    },

    events(callId) {
      const record = recordOf(callId);
      return record.events.map((e) => ({ name: e.name, detail: e.detail, atMs: Math.round(e.at - record.created) }));
    },

    state(callId) {
      return describeCall(recordOf(callId).call);
    },

    ring(callId) {
      recordOf(callId).call.ring();
      return describeCall(recordOf(callId).call);
    },

    accept(callId) {
      const { call } = recordOf(callId);
      call.accept({ stream: localStream() });
      return describeCall(call);
    },

    reject(callId, reason) {
      const { call } = recordOf(callId);
      call.reject(reason);
      return describeCall(call);
    },

    cancel(callId) {
      const { call } = recordOf(callId);
      call.cancel();
      return describeCall(call);
    },

    hangup(callId, detail) {
      const { call } = recordOf(callId);
      call.hangup(detail);
      return describeCall(call);
    },

    // Proves media flows on the call: a live remote audio and video track, a decoded frame in a <video>,
    // and the receiver's own count of decoded frames from getStats.
    async remoteMedia(callId, timeoutMs = 8000) {
      const record = recordOf(callId);
      await this.awaitEvent(callId, 'stream', timeoutMs);
      const { call } = record;
      const stream = call.remoteStream;
      const frame = await withTimeout(firstVideoFrame(stream), timeoutMs, 'decoded video frame');
      return {
        tracks: stream.getTracks().map((t) => ({ kind: t.kind, readyState: t.readyState })),
        frame,
        framesDecoded: await framesDecoded(call.connection),
        connectionPeer: call.connection.peer,
        metadata: plain(call.connection.metadata),
        isCallMedia: Switchboard.isCallMedia(call.connection),
      };
    },

    // Disconnects from the broker and reconnects (same Peer, same socket object); resolves on open.
    reconnect(timeoutMs = 5000) {
      const peer = window.harness.peerObject();
      const reopened = new Promise((resolve) => peer.once('open', resolve));
      peer.disconnect();
      peer.reconnect();
      return withTimeout(reopened.then((id) => ({ id })), timeoutMs, 'open after reconnect');
    },

    now() {
      return now();
    },
  };
})();

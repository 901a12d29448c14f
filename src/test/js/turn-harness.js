// Runs inside test pages that load peerjs-patches/switchboard.js: opens unmodified PeerJS 1.5.5 peers
// with TURN credentials from the broker (GET /ice before new Peer, or ICE-SERVERS frames through the
// add-on) and reports, from getStats, whether a connection's selected candidate pair is relayed.
// Driven by turn-scenario.mjs through window.turnHarness.*; results are plain JSON.
(() => {
  let peer;
  let sb;
  let openedAt = 0;
  const incomingData = [];
  const withTimeout = (promise, ms, what) => Promise.race([promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

  // The selected pair: the transport's selectedCandidatePairId, else a succeeded and nominated pair.
  async function selectedPair(pc) {
    const stats = await pc.getStats();
    const byId = new Map();
    stats.forEach((s) => byId.set(s.id, s));
    let pair;
    stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId); });
    if (!pair) stats.forEach((s) => { if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) pair = s; });
    if (!pair) return null;
    const local = byId.get(pair.localCandidateId) || {};
    const remote = byId.get(pair.remoteCandidateId) || {};
    return { state: pair.state, nominated: !!pair.nominated, local: local.candidateType, remote: remote.candidateType,
      localAddress: `${local.address}:${local.port}`, protocol: local.protocol, relayProtocol: local.relayProtocol };
  }

  async function awaitRelayPair(pc) {
    for (let i = 0; i < 100; i++) {
      const pair = await selectedPair(pc);
      if (pair && pair.state === 'succeeded') return pair;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no succeeded candidate pair within 5 s');
  }

  window.turnHarness = {
    fetchIce(options) {
      return Switchboard.fetchIceServers(options);
    },

    // new Peer(id, options) with the add-on attached before it can open; resolves once open (and, when
    // awaitPush, once the first ICE-SERVERS frame set peer.options.config.iceServers).
    open(id, options, awaitPush) {
      if (peer) peer.destroy();
      const started = performance.now();
      peer = new Peer(id, options);
      sb = Switchboard.attach(peer);
      const pushed = new Promise((resolve) => sb.ice.once('servers', resolve));
      peer.on('connection', (conn) => {
        incomingData.push(conn);
        conn.on('data', (data) => conn.send({ echo: data }));
      });
      peer.on('call', async (call) => {
        call.answer(await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
      });
      return withTimeout(new Promise((resolve, reject) => {
        peer.once('open', async (openId) => {
          openedAt = performance.now();
          if (awaitPush) await pushed;
          const servers = peer.options.config.iceServers;
          resolve({ id: openId, openMs: Math.round(openedAt - started), pushed: sb.ice.servers,
            iceServers: servers, iceTransportPolicy: peer.options.config.iceTransportPolicy });
        });
        peer.once('error', (err) => reject(new Error(`peerjs error ${err.type}: ${err.message}`)));
      }), 10000, `open of ${id}`);
    },

    // Data connection right after this peer's open: ms from open to the connection's open, its pair.
    async relayedData(remoteId) {
      const conn = peer.connect(remoteId, { reliable: true });
      await withTimeout(new Promise((resolve, reject) => {
        conn.on('open', resolve);
        conn.on('error', (err) => reject(new Error(`data connection error ${err.type}: ${err.message}`)));
      }), 15000, `data connection to ${remoteId}`);
      const openToConnectedMs = Math.round(performance.now() - openedAt);
      const echo = await withTimeout(new Promise((resolve) => {
        conn.on('data', resolve);
        conn.send('through the relay');
      }), 5000, 'echo');
      return { openToConnectedMs, echo, pair: await awaitRelayPair(conn.peerConnection) };
    },

    async relayedCall(remoteId) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const call = peer.call(remoteId, stream);
      const remote = await withTimeout(new Promise((resolve, reject) => {
        call.once('stream', resolve);
        call.on('error', (err) => reject(new Error(`media error ${err.type}: ${err.message}`)));
      }), 15000, `media from ${remoteId}`);
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = remote;
      document.body.append(video);
      const frame = await withTimeout(new Promise((resolve) => {
        video.addEventListener('loadeddata', () => resolve({ width: video.videoWidth, height: video.videoHeight }), { once: true });
        video.play();
      }), 10000, 'a decoded video frame');
      const tracks = remote.getTracks().map((t) => ({ kind: t.kind, readyState: t.readyState }));
      const pair = await awaitRelayPair(call.peerConnection);
      call.close();
      return { frame, tracks, pair };
    },

    // The pair the answering side selected for its latest incoming data connection.
    async lastIncomingPair() {
      const conn = incomingData.at(-1);
      if (!conn) throw new Error('no incoming data connection');
      return awaitRelayPair(conn.peerConnection);
    },

    // Gathers with only these servers and relay policy: the candidate types found (coturn refusing the
    // credential leaves none).
    async gather(iceServers) {
      const pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay' });
      const types = [];
      const errors = [];
      pc.addEventListener('icecandidateerror', (e) => errors.push({ code: e.errorCode, text: e.errorText }));
      const done = new Promise((resolve) => {
        pc.addEventListener('icecandidate', (e) => { if (e.candidate && e.candidate.candidate) types.push(e.candidate.type); else if (!e.candidate) resolve(); });
      });
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      await withTimeout(done, 15000, 'end of gathering');
      pc.close();
      return { types, errors };
    },

    destroy() {
      if (peer) peer.destroy();
      peer = undefined;
      return true;
    },
  };
})();

// Runs inside each test page, after peerjs.min.js and any extra scripts. The node driver calls
// window.harness.* through page.evaluate; every result is plain JSON so it crosses that boundary.
(() => {
  let peer;
  const incomingCalls = [];
  let incomingCallWaiter;

  const describeError = (err) => ({ type: err && err.type, message: String(err && err.message || err) });

  const describeTracks = (stream) =>
    stream.getTracks().map((t) => ({ kind: t.kind, readyState: t.readyState, muted: t.muted }));

  // Rejects as soon as the peer reports an error, so a step fails with PeerJS's reason instead of
  // waiting for the overall timeout.
  const untilPeerError = (promise) =>
    new Promise((resolve, reject) => {
      const onError = (err) => reject(new Error(`peerjs error ${err.type}: ${err.message}`));
      peer.once('error', onError);
      promise.then(resolve, reject).finally(() => peer.off('error', onError));
    });

  const localStream = () => navigator.mediaDevices.getUserMedia({ audio: true, video: true });

  // Proves media actually flows: a live track alone exists before any RTP arrives.
  const firstVideoFrame = (stream) =>
    new Promise((resolve, reject) => {
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      video.addEventListener('loadeddata', () => resolve({ width: video.videoWidth, height: video.videoHeight }),
        { once: true });
      document.body.append(video);
      video.play().catch(reject);
    });

  const describeRemoteStream = async (stream) => ({
    tracks: describeTracks(stream),
    frame: await firstVideoFrame(stream),
  });

  window.harness = {
    // Resolves {id} on open or {error} on the first PeerJS error, whichever comes first.
    open(id, options) {
      return new Promise((resolve) => {
        const started = performance.now();
        peer = id ? new Peer(id, options) : new Peer(options);
        // A page may need to act on the Peer before its OPEN arrives (an add-on that must see the frames
        // right after OPEN): it sets window.onPeerCreated first.
        if (typeof window.onPeerCreated === 'function') window.onPeerCreated(peer);
        peer.once('open', () => console.log(`open after ${Math.round(performance.now() - started)} ms`));
        peer.on('error', (err) => console.error(`peerjs error ${err.type}: ${err.message}`));
        peer.once('open', (openId) => resolve({ id: openId }));
        peer.once('error', (err) => resolve({ error: describeError(err) }));
      });
    },

    // For other in-page scripts (calls-harness.js): the page's Peer. Not callable from the driver.
    peerObject() {
      return peer;
    },

    state() {
      return { id: peer.id, open: peer.open, disconnected: peer.disconnected, destroyed: peer.destroyed };
    },

    // Replies to every data message with the message and the sender id PeerJS saw (the broker's src).
    echoData() {
      peer.on('connection', (conn) => {
        conn.on('data', (data) => conn.send({ echo: data, seenFrom: conn.peer }));
      });
    },

    sendAndAwaitEcho(remoteId, message) {
      return untilPeerError(new Promise((resolve, reject) => {
        const conn = peer.connect(remoteId, { reliable: true });
        conn.on('open', () => conn.send(message));
        conn.on('data', (reply) => resolve(reply));
        conn.on('error', (err) => reject(new Error(`data connection error ${err.type}: ${err.message}`)));
      }));
    },

    // How this page reaches the broker: the add-on's socket reports its transport and fallbacks.
    transport() {
      const socket = peer.socket && peer.socket._socket;
      const addOn = window.PeerXhrFallback;
      return {
        transport: socket && socket.transport ? socket.transport : 'native',
        fallbacks: addOn ? addOn.stats.fallbacks : [],
      };
    },

    // Round trips of a harmless relayed message (LEAVE to itself) through the broker, in ms.
    async probeLatency(count) {
      const socket = peer.socket;
      const times = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await new Promise((resolve) => {
          const onMessage = (message) => {
            if (message.type === 'LEAVE' && message.src === peer.id) {
              socket.off('message', onMessage);
              resolve();
            }
          };
          socket.on('message', onMessage);
          socket.send({ type: 'LEAVE', dst: peer.id, payload: { probe: i } });
        });
        times.push(performance.now() - started);
      }
      const sorted = [...times].sort((x, y) => x - y);
      const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
      return { count, medianMs: at(0.5), p90Ms: at(0.9), minMs: at(0) };
    },

    answerCalls() {
      peer.on('call', async (call) => {
        call.answer(await localStream());
        // PeerJS emits 'stream' once per remote track, with the same stream each time.
        call.once('stream', (remote) => {
          const entry = { from: call.peer, stream: remote };
          if (incomingCallWaiter) incomingCallWaiter(entry);
          else incomingCalls.push(entry);
        });
      });
    },

    async awaitIncomingCall() {
      const entry = incomingCalls.shift() || await untilPeerError(new Promise((resolve) => {
        incomingCallWaiter = resolve;
      }));
      incomingCallWaiter = undefined;
      return { from: entry.from, ...(await describeRemoteStream(entry.stream)) };
    },

    async call(remoteId) {
      const stream = await localStream();
      return untilPeerError(new Promise((resolve, reject) => {
        const call = peer.call(remoteId, stream);
        call.once('stream', (remote) => describeRemoteStream(remote).then(resolve, reject));
        call.on('error', (err) => reject(new Error(`media connection error ${err.type}: ${err.message}`)));
      }));
    },
  };
})();

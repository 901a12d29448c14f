// A worker thread of ws-load.mjs: its share of the peers, the load it sends, and its counts, on
// commands from the main thread (connect, run, rate, mark, collect, close).
import { parentPort, workerData } from "node:worker_threads";
import { Histogram, requireWs } from "./ws-load-common.mjs";

function token(id) {
  return `t${id.length}${id.charCodeAt(id.length - 1)}`;
}

function randomToken() {
  return Math.random().toString(36).slice(2);
}

const CANDIDATE_LINE = "a=candidate:842163049 1 udp 1677729535 192.0.2.10 54321 typ srflx raddr 10.0.0.2 rport 54321 generation 0 network-cost 999\r\n";
const SDP_HEAD = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
  + "a=extmap-allow-mixed\r\na=msid-semantic: WMS 5b3f4f0e-1c2d\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
  + "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xk7b\r\na=ice-pwd:4nS3uQm1dKb0Q8yO2cVt9zLr\r\n"
  + "a=ice-options:trickle\r\na=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n";
const RTP_LINE = "a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n";

// An SDP of about `size` characters (JSON-escaped the \r\n count twice, as on the wire).
function sdp(size) {
  let s = SDP_HEAD;
  while (JSON.stringify(s).length + RTP_LINE.length * 1.1 < size) s += RTP_LINE;
  return s;
}

function startWorker() {
  const o = workerData;
  const WebSocket = requireWs(o.wsFrom);
  const prefix = `${o.prefix}w${o.index}`;
  const peers = [];
  const latency = new Histogram();
  const setupTimes = new Histogram();
  const counts = { received: 0, sent: 0, heartbeats: 0, setupsStarted: 0, setupsDone: 0, closed: 0 };
  let running = false;
  const timers = [];

  const send = (ws, text) => {
    ws.send(text);
    counts.sent++;
  };

  function connectOne(id, i) {
    return new Promise((resolve) => {
      const url = `ws://${o.host}:${o.port}/peerjs?key=peerjs&id=${encodeURIComponent(id)}&token=${token(id)}&version=1.5.5`;
      const ws = new WebSocket(url, { localAddress: `127.0.0.${2 + (i % o.addresses)}`, handshakeTimeout: 30000 });
      let done = false;
      const finish = (error) => {
        if (!done) {
          done = true;
          resolve(error ?? null);
        }
      };
      ws.on("message", (data) => {
        if (!done) {
          const text = data.toString();
          if (text.startsWith('{"type":"OPEN"')) finish();
          else finish(`first frame for ${id}: ${text.slice(0, 120)}`);
          return;
        }
        ws.onFrame?.(data);
      });
      ws.on("error", (e) => finish(`${id}: ${e.message}`));
      ws.on("close", () => {
        if (running) counts.closed++;
        finish(`${id}: closed before OPEN`);
      });
      ws.peerId = id;
      peers.push(ws);
    });
  }

  async function connect() {
    const ids = [];
    for (let i = o.from; i < o.to; i++) {
      if (o.scenario === "idle" || o.scenario === "mix") ids.push(`${prefix}p${i}`);
      else ids.push(`${prefix}p${i}a`, `${prefix}p${i}b`);
    }
    let next = 0;
    let failed = 0;
    let firstFailure = null;
    async function lane() {
      while (next < ids.length) {
        const i = next++;
        const error = await connectOne(ids[i], i);
        if (error) {
          failed++;
          firstFailure ??= error;
        }
      }
    }
    const lanes = [];
    for (let l = 0; l < o.concurrency; l++) lanes.push(lane());
    await Promise.all(lanes);
    return { peers: ids.length - failed, failed, firstFailure };
  }

  const stampOf = (data) => {
    const at = data.indexOf('"ts":');
    if (at < 0) return -1;
    let v = 0;
    for (let i = at + 5; i < data.length; i++) {
      const c = data[i];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    return v;
  };
  const nowUs = () => Math.floor(performance.now() * 1000);
  const recordArrival = (data) => {
    counts.received++;
    const ts = stampOf(data);
    if (ts >= 0) latency.record(nowUs() - ts);
  };

  // A PeerJS media OFFER/ANSWER of about o.payload bytes; the stamp goes where "TS" is.
  function pairFrame(type, dst) {
    const sdpType = type === "OFFER" ? "offer" : "answer";
    const bare = (s) => JSON.stringify({ type, payload: { sdp: { type: sdpType, sdp: s }, type: "media",
      connectionId: "mc_bench0123456", ts: 1234567890123 }, dst });
    let s = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    while (bare(s).length + CANDIDATE_LINE.length + 4 <= o.payload) s += CANDIDATE_LINE;
    s += "x".repeat(Math.max(0, o.payload - bare(s).length));
    const [head, tail] = bare(s).split("1234567890123");
    return (ts) => head + ts + tail;
  }

  function pairs() {
    const list = [];
    for (let k = 0; k < peers.length; k += 2) {
      const a = peers[k];
      const b = peers[k + 1];
      list.push({ a, b, offer: pairFrame("OFFER", b.peerId), answer: pairFrame("ANSWER", a.peerId) });
    }
    return list;
  }

  function runPingpong() {
    for (const { a, b, offer, answer } of pairs()) {
      a.onFrame = (data) => {
        recordArrival(data);
        if (running) send(a, offer(nowUs()));
      };
      b.onFrame = (data) => {
        recordArrival(data);
        if (running) send(b, answer(nowUs()));
      };
      send(a, offer(nowUs()));
    }
  }

  // Open loop: every millisecond, sends what is due by now at this worker's share of the rate.
  function runFixed() {
    const senders = [];
    for (const { a, b, offer, answer } of pairs()) {
      a.onFrame = recordArrival;
      b.onFrame = recordArrival;
      senders.push([a, offer], [b, answer]);
    }
    const perSecond = o.rate * o.share;
    const t0 = performance.now();
    let sentHere = 0;
    timers.push(setInterval(() => {
      const due = Math.floor((performance.now() - t0) * perSecond / 1000);
      while (sentHere < due) {
        const [from, frame] = senders[sentHere % senders.length];
        send(from, frame(nowUs()));
        sentHere++;
      }
    }, 1));
  }

  // Mix: HEARTBEAT from each peer every heartbeatMs at an even spread, and set-ups at the current rate.
  const mix = { setupsPerSecond: 0, since: 0, started: 0, calls: new Map() };
  function runMix() {
    for (const ws of peers) ws.onFrame = (data) => onSignal(ws, data);
    const t0 = performance.now();
    let beats = 0;
    const heartbeat = JSON.stringify({ type: "HEARTBEAT" });
    timers.push(setInterval(() => {
      const now = performance.now();
      const due = Math.floor((now - t0) * peers.length / o.heartbeatMs);
      for (; beats < due; beats++) {
        const ws = peers[beats % peers.length];
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(heartbeat);
          counts.heartbeats++;
        }
      }
      const setupsDue = Math.floor((now - mix.since) * mix.setupsPerSecond * o.share / 1000);
      for (; mix.started < setupsDue; mix.started++) startSetup();
    }, 5));
  }

  const signal = (type, payload, dst) => JSON.stringify({ type, payload, dst });
  const offerSize = () => 2500 + Math.floor(Math.random() * 1500);
  const candidate = (k, ts, connectionId) => ({ candidate: { candidate: `candidate:${842163049 + k} 1 udp ${2122260223 - k} `
    + `192.168.${k}.10 ${50000 + k} typ host generation 0 ufrag Xk7b network-id ${k} network-cost 10`,
  sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "Xk7b" }, type: "media", connectionId, ts });

  // A -> B OFFER and A's 8 candidates; B answers with ANSWER and its 8 (onSignal); when both sides have
  // everything, A sends LEAVE to B.
  function startSetup() {
    if (peers.length < 2) return;
    const ai = Math.floor(Math.random() * peers.length);
    let bi = Math.floor(Math.random() * (peers.length - 1));
    if (bi >= ai) bi++;
    const a = peers[ai];
    const b = peers[bi];
    const connectionId = `mc_${randomToken()}`;
    const t = nowUs();
    mix.calls.set(connectionId, { a, b, t0: t, answered: false, toA: 0, toB: 0 });
    counts.setupsStarted++;
    send(a, signal("OFFER", { sdp: { type: "offer", sdp: sdp(offerSize()) }, type: "media", connectionId,
      metadata: { ts: t } }, b.peerId));
    for (let k = 0; k < 8; k++) send(a, signal("CANDIDATE", candidate(k, nowUs(), connectionId), b.peerId));
  }

  function onSignal(ws, data) {
    counts.received++;
    const m = JSON.parse(data.toString());
    if (m.type === "LEAVE") return;
    const ts = m.type === "OFFER" ? m.payload.metadata.ts : m.payload.ts;
    latency.record(nowUs() - ts);
    const call = mix.calls.get(m.payload.connectionId);
    if (!call) return;
    if (m.type === "OFFER") {
      send(ws, signal("ANSWER", { sdp: { type: "answer", sdp: sdp(2000) }, type: "media",
        connectionId: m.payload.connectionId, ts: nowUs() }, m.src));
      for (let k = 0; k < 8; k++) send(ws, signal("CANDIDATE", candidate(k + 8, nowUs(), m.payload.connectionId), m.src));
      return;
    }
    if (m.type === "ANSWER") call.answered = true;
    else if (m.type === "CANDIDATE" && ws === call.b) call.toB++;
    else if (m.type === "CANDIDATE") call.toA++;
    if (call.answered && call.toA === 8 && call.toB === 8) {
      mix.calls.delete(m.payload.connectionId);
      setupTimes.record(nowUs() - call.t0);
      counts.setupsDone++;
      send(call.a, JSON.stringify({ type: "LEAVE", dst: call.b.peerId }));
    }
  }

  parentPort.on("message", async (m) => {
    switch (m.cmd) {
      case "connect":
        parentPort.postMessage(await connect());
        break;
      case "run":
        running = true;
        if (o.scenario === "pingpong") runPingpong();
        else if (o.scenario === "fixed") runFixed();
        else if (o.scenario === "mix") runMix();
        parentPort.postMessage({});
        break;
      case "rate":
        mix.setupsPerSecond = m.setups;
        mix.since = performance.now();
        mix.started = 0;
        parentPort.postMessage({});
        break;
      case "mark":
        latency.reset();
        setupTimes.reset();
        for (const k of Object.keys(counts)) counts[k] = 0;
        parentPort.postMessage({});
        break;
      case "collect":
        parentPort.postMessage({ ...counts, latency: latency.counts, setup: setupTimes.counts });
        break;
      case "close":
        running = false;
        timers.forEach(clearInterval);
        await Promise.all(peers.map((ws) => new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once("close", resolve);
          ws.terminate();
        })));
        parentPort.postMessage({});
        break;
      default:
        throw new Error(`unknown command ${m.cmd}`);
    }
  });
}

startWorker();

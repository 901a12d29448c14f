// Load generator of Node `ws` clients for the benchmark suite: what PeerJS apps look like on the wire,
// one WebSocket per peer and one message per packet (every send is its own frame and write, nothing
// batched). Driven by dev.switchboard.bench.NodeScenarios; runs on its own too:
//
//   node src/bench/js/ws-load.mjs --ws-from target/bench/peerserver --port 9000 --scenario pingpong
//
// Scenarios: idle (N peers connect and sit until a line "stop" or EOF on stdin), pingpong (pairs, one
// message in flight per pair), fixed (open loop at --rate msgs/s over pairs), mix (N peers sending
// HEARTBEAT every 5 s, spread evenly, plus call set-ups at each of --setups per second in turn, after
// --warmup seconds of set-ups at the highest rate, unmeasured).
//
// Peers are split over --workers worker threads; both peers of a pair or set-up live in the same
// worker, so latency is measured with one clock (performance.now of that thread). Protocol on stdout,
// one line each, for the driver to sample the server's CPU exactly over the measured window:
//   @ready {json}   all peers connected (peers, failed, firstFailure, connectMs)
//   @start {json}   a measured window begins (phase)
//   @stop {json}    it ends (sample now); @end {json} follows with the window's figures
//   @done           finished, all sockets closed
//   @error message  failed (exit status 1)
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import readline from "node:readline";
import { Histogram, requireWs } from "./ws-load-common.mjs";

const USAGE = `Usage: node ws-load.mjs --ws-from DIR --port P --scenario idle|pingpong|fixed|mix [options]
  --ws-from DIR        a directory whose node_modules holds the ws package (required)
  --host H             server address (default 127.0.0.1)
  --port P             server port (required)
  --prefix S           peer id prefix (default n<pid>x)
  --workers N          worker threads (default 2)
  --addresses N        source addresses 127.0.0.2.. (default 4)
  --concurrency N      handshakes in flight per worker while connecting (default 100)
  --peers N            idle, mix: peers (default 10000)
  --pairs N            pingpong, fixed: peer pairs (default 100)
  --payload BYTES      pingpong, fixed: frame size (default 600)
  --rate N             fixed: messages/s offered (default 20000)
  --setups LIST        mix: set-ups per second, one measured window each (default 0,50,100)
  --heartbeat-ms N     mix: HEARTBEAT period of each peer (default 5000, as PeerJS)
  --warmup S           seconds before each measured window (default 4)
  --seconds S          seconds of each measured window (default 10)`;
function parseArgs(argv) {
  const o = { host: "127.0.0.1", workers: 2, addresses: 4, concurrency: 100, peers: 10000, pairs: 100,
    payload: 600, rate: 20000, setups: [0, 50, 100], heartbeatMs: 5000, warmup: 4, seconds: 10,
    prefix: `n${process.pid}x` };
  const numbers = { "--port": "port", "--workers": "workers", "--addresses": "addresses",
    "--concurrency": "concurrency", "--peers": "peers", "--pairs": "pairs", "--payload": "payload",
    "--rate": "rate", "--heartbeat-ms": "heartbeatMs", "--warmup": "warmup", "--seconds": "seconds" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${arg} needs a value`);
    i++;
    if (numbers[arg]) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${arg} must be a non-negative number, not '${value}'`);
      o[numbers[arg]] = n;
    } else if (arg === "--scenario") o.scenario = value;
    else if (arg === "--ws-from") o.wsFrom = value;
    else if (arg === "--host") o.host = value;
    else if (arg === "--prefix") o.prefix = value;
    else if (arg === "--setups") o.setups = value.split(",").map((s) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--setups: '${s}' is not a rate`);
      return n;
    });
    else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  if (!["idle", "pingpong", "fixed", "mix"].includes(o.scenario)) throw new Error(`--scenario must be idle, pingpong, fixed or mix\n${USAGE}`);
  if (!o.wsFrom) throw new Error("--ws-from DIR is required (a directory whose node_modules holds ws)");
  if (!o.port) throw new Error("--port is required");
  if (o.workers < 1) throw new Error("--workers must be at least 1");
  return o;
}

// ---------------------------------------------------------------------------------------------------
// Splits the peers over the worker threads (ws-load-worker.mjs), runs the schedule, prints the protocol lines.

function emit(tag, body) {
  process.stdout.write(body === undefined ? `${tag}\n` : `${tag} ${JSON.stringify(body)}\n`);
}

class Workers {
  constructor(o) {
    this.list = [];
    this.pending = new Map();
    const units = o.scenario === "idle" || o.scenario === "mix" ? o.peers : o.pairs;
    const n = Math.max(1, Math.min(o.workers, units));
    for (let w = 0; w < n; w++) {
      const from = Math.floor(units * w / n);
      const to = Math.floor(units * (w + 1) / n);
      const worker = new Worker(fileURLToPath(new URL("./ws-load-worker.mjs", import.meta.url)), { workerData: { ...o, index: w, from, to, share: 1 / n } });
      worker.on("message", (m) => this.reply(w, m));
      worker.on("error", (e) => fail(`worker ${w}: ${e.stack ?? e}`));
      this.list.push(worker);
    }
  }
  reply(w, m) {
    const waiting = this.pending.get(w);
    if (waiting) {
      this.pending.delete(w);
      waiting(m);
    }
  }
  // Sends cmd to every worker and resolves with their replies.
  all(cmd) {
    return Promise.all(this.list.map((worker, w) => new Promise((resolve) => {
      this.pending.set(w, resolve);
      worker.postMessage(cmd);
    })));
  }
}

function fail(message) {
  process.stdout.write(`@error ${String(message).replace(/\n/g, " | ")}\n`);
  process.exit(1);
}

const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

async function connectAll(workers) {
  const t0 = performance.now();
  const replies = await workers.all({ cmd: "connect" });
  const peers = replies.reduce((s, r) => s + r.peers, 0);
  const failed = replies.reduce((s, r) => s + r.failed, 0);
  const firstFailure = replies.map((r) => r.firstFailure).find((f) => f) ?? null;
  emit("@ready", { peers, failed, firstFailure, connectMs: Math.round(performance.now() - t0) });
  return failed;
}

// One measured window: marks every worker, waits, then collects their counts and histograms.
async function measure(workers, o, phase) {
  await sleep(o.warmup);
  await workers.all({ cmd: "mark" });
  const t0 = performance.now();
  emit("@start", { phase });
  await sleep(o.seconds);
  emit("@stop", { phase });
  const replies = await workers.all({ cmd: "collect" });
  const seconds = (performance.now() - t0) / 1000;
  const latency = new Histogram();
  const setup = new Histogram();
  const sum = (k) => replies.reduce((s, r) => s + r[k], 0);
  for (const r of replies) {
    latency.add(r.latency);
    setup.add(r.setup);
  }
  emit("@end", { phase, seconds, received: sum("received"), sent: sum("sent"), heartbeats: sum("heartbeats"),
    setupsStarted: sum("setupsStarted"), setupsDone: sum("setupsDone"), closed: sum("closed"),
    p50ms: latency.percentileMs(50), p99ms: latency.percentileMs(99), p999ms: latency.percentileMs(99.9),
    setupP50ms: setup.percentileMs(50), setupP99ms: setup.percentileMs(99) });
}

function stdinStop() {
  return new Promise((resolve) => {
    const lines = readline.createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      if (line.trim() === "stop") resolve();
    });
    lines.on("close", resolve);
  });
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
    requireWs(o.wsFrom);
  } catch (e) {
    fail(e.message);
  }
  const workers = new Workers(o);
  const failed = await connectAll(workers);
  if (failed > 0) {
    await workers.all({ cmd: "close" });
    fail(`${failed} peers failed to connect`);
  }
  if (o.scenario === "idle") {
    await stdinStop();
  } else if (o.scenario === "mix") {
    await workers.all({ cmd: "run" });
    // Unmeasured, at the highest rate: the server's relay path compiled before the first window.
    const highest = Math.max(...o.setups);
    if (highest > 0) {
      await workers.all({ cmd: "rate", setups: highest });
      await sleep(o.warmup);
    }
    for (const setups of o.setups) {
      await workers.all({ cmd: "rate", setups });
      await measure(workers, o, `${setups}`);
    }
  } else {
    await workers.all({ cmd: "run" });
    await measure(workers, o, o.scenario);
  }
  await workers.all({ cmd: "close" });
  emit("@done");
  process.exit(0);
}

main().catch((e) => fail(e.stack ?? String(e)));

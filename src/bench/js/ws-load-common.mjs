// Shared by ws-load.mjs (main thread) and ws-load-worker.mjs (its worker threads).
import { createRequire } from "node:module";
import path from "node:path";

const LINEAR_US = 1000;
const LOG_STEP = Math.log(1.01);
const BUCKETS = LINEAR_US + Math.ceil(Math.log(600e6 / LINEAR_US) / LOG_STEP) + 1;

// Latency histogram in microseconds: exact below 1 ms, 1 % buckets above (up to 10 minutes).
export class Histogram {
  constructor(counts) {
    this.counts = counts ?? new Float64Array(BUCKETS);
  }
  record(us) {
    const i = us < LINEAR_US ? Math.max(0, Math.floor(us))
      : Math.min(BUCKETS - 1, LINEAR_US + Math.floor(Math.log(us / LINEAR_US) / LOG_STEP));
    this.counts[i]++;
  }
  add(other) {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other[i];
  }
  reset() {
    this.counts.fill(0);
  }
  percentileMs(p) {
    let total = 0;
    for (const c of this.counts) total += c;
    if (total === 0) return null;
    const want = Math.ceil(total * p / 100);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= want) {
        const us = i < LINEAR_US ? i + 0.5 : LINEAR_US * Math.exp((i - LINEAR_US + 0.5) * LOG_STEP);
        return us / 1000;
      }
    }
    return null;
  }
}

export function requireWs(from) {
  const require = createRequire(path.resolve(from, "ws-load-resolver.js"));
  try {
    return require("ws");
  } catch (e) {
    throw new Error(`the ws package is not installed under ${path.resolve(from)}/node_modules (${e.code ?? e.message})`);
  }
}

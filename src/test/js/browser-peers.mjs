// Drives unmodified PeerJS in headless Chromium against a PeerServer-compatible broker.
//
//   node browser-peers.mjs '<spec json>'      or      node browser-peers.mjs < spec.json
//
// Spec:
//   {
//     "broker":   {"host": "127.0.0.1", "port": 9000, "path": "/", "key": "peerjs", "secure": false},
//                 (secure: wss:// and https://, certificate errors ignored: test certificates)
//     "scenario": "data-and-media" | "id-taken" | "impostor" | "transports-data-and-media" | "latency" | "calls" | "turn" | "presence" | "rooms" | "wakeup"
//                 | "peerjs-e2e" (PeerJS 1.5.5's own e2e scenarios; pages load peerjs-e2e.js; "closedPort":
//                   a port nothing listens on, for the unreachable-broker scenario),
//     "calls": {...},                           // the calls scenario's settings, see calls-scenario.mjs
//     "turn": {...},                            // the turn scenario's broker ports, see turn-scenario.mjs
//     "presence": {...},                        // the presence scenario's users, see presence-scenario.mjs
//     "timeoutMs": 30000,                       // whole run, default 30000
//     "trace": true,                            // log WebSocket frames, default true
//     "pages": [{
//       "name": "A",
//       "peer": {"id": "alice", "token": "t1"}, // PeerJS options; id is the constructor's first argument
//       "broker": {"port": 9001},               // optional: this page's broker, over the spec's (cluster nodes)
//       "initScript": "...",                    // optional JS run before any page script
//       "peerjs": "1.5.5",                      // optional: "1.5.5" (npm, default) or "0.3.24" (vendor/, XHR-era)
//       "scripts": ["patches.js"],              // optional files loaded after peerjs.min.js (relative to this dir)
//       "deferred": true,                       // optional: no browser page until the scenario opens it (run.load)
//       "expectError": {"type": "server-error", "message": "..."}  // impostor: the refusal the last page must get
//     }]
//   }
//
// stdout: one JSON line per step ({"step","ok","ms",...}) and a last {"result":"pass"|"fail",...} line.
// stderr: page console, PeerJS errors and WebSocket frames, each prefixed with the page name.
// Exit 0 only when every step passed; 1 on a failed step or bad spec; 2 on the overall timeout.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { callsScenario } from './calls-scenario.mjs';
import { turnScenario } from './turn-scenario.mjs';
import { presenceScenario } from './presence-scenario.mjs';
import { roomsScenario } from './rooms-scenario.mjs';
import { wakeupScenario } from './wakeup-scenario.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PEERJS = path.join(HERE, 'node_modules/peerjs/dist/peerjs.min.js');
const PEERJS_BUILDS = { '1.5.5': PEERJS, '0.3.24': path.join(HERE, 'vendor/peerjs-0.3.24/dist/peerjs.min.js') };
const HARNESS = path.join(HERE, 'page-harness.js');
const MSGPACK = path.join(HERE, 'node_modules/peerjs/dist/serializer.msgpack.mjs');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  // Host candidates must be plain loopback addresses: there is no mDNS resolver here.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
const TRACE_LIMIT = 400;

// ---------------------------------------------------------------------------------------------
// Scenarios: each gets the run and uses the steps below. Add new ones here.

const scenarios = {
  async 'data-and-media'(run) {
    const [a, b] = run.requirePages(2);
    await openPeer(run, a);
    await openPeer(run, b);
    await dataEcho(run, a, b);
    await mediaCall(run, a, b);
  },

  // All pages but the last open; the last one asks for the first one's id and must be refused
  // without disturbing the holder, which must still be reachable through the broker.
  async 'id-taken'(run) {
    run.requirePages(2);
    const holder = run.pages[0];
    const thief = run.pages.at(-1);
    for (const page of run.pages.slice(0, -1)) await openPeer(run, page);
    await run.step('id-refused', { page: thief.name, id: thief.requestedId }, async () => {
      const result = await thief.open();
      if (!result.error) throw new Error(`broker opened a second peer with id ${result.id}`);
      if (result.error.type !== 'unavailable-id') throw new Error(`expected unavailable-id, got ${JSON.stringify(result.error)}`);
      return { error: result.error };
    });
    await run.step('holder-still-open', { page: holder.name }, async () => {
      const state = await holder.call('state');
      if (!state.open || state.disconnected) throw new Error(`holder lost its connection: ${JSON.stringify(state)}`);
      return { state };
    });
    if (run.pages.length >= 3) await dataEcho(run, holder, run.pages[1]);
  },

  // data-and-media, reporting first how each page reaches the broker (WebSocket or XHR fallback).
  async 'transports-data-and-media'(run) {
    const [a, b] = run.requirePages(2);
    await openPeer(run, a);
    await openPeer(run, b);
    for (const page of [a, b]) {
      await run.step('transport', { page: page.name }, async () => page.call('transport'));
    }
    await dataEcho(run, a, b);
    await mediaCall(run, a, b);
  },

  // Each page opens and times messages it sends itself through the broker (LEAVE to its own id:
  // relayed like any signal, harmless to PeerJS), to compare transports.
  async latency(run) {
    for (const page of run.requirePages(1)) {
      await openPeer(run, page);
      await run.step('transport', { page: page.name }, async () => page.call('transport'));
      await run.step('latency', { page: page.name }, async () => page.call('probeLatency', run.spec.probes ?? 30));
    }
  },

  // Auth: all pages but the last open and stay reachable; the last asks for an id its credentials do
  // not allow and must be refused with its expectError, after which the first two still exchange data.
  async impostor(run) {
    run.requirePages(3);
    const impostor = run.pages.at(-1);
    const holders = run.pages.slice(0, -1);
    for (const page of holders) await openPeer(run, page);
    await run.step('impostor-refused', { page: impostor.name, id: impostor.requestedId }, async () => {
      const result = await impostor.open();
      if (!result.error) throw new Error(`broker opened ${result.id} for ${impostor.name}`);
      const want = impostor.expectError || {};
      if (want.type && result.error.type !== want.type) throw new Error(`expected ${want.type}, got ${JSON.stringify(result.error)}`);
      if (want.message && result.error.message !== want.message) throw new Error(`expected "${want.message}", got ${JSON.stringify(result.error)}`);
      return { error: result.error };
    });
    for (const holder of holders) {
      await run.step('holder-still-open', { page: holder.name }, async () => {
        const state = await holder.call('state');
        if (!state.open || state.disconnected) throw new Error(`holder lost its connection: ${JSON.stringify(state)}`);
        return { state };
      });
    }
    await dataEcho(run, holders[0], holders[1]);
  },

  // Calls with peerjs-patches/switchboard.js: see calls-scenario.mjs.
  async calls(run) {
    await callsScenario(run, { openPeer, dataEcho });
  },

  // Presence with peerjs-patches/switchboard.js: see presence-scenario.mjs.
  async presence(run) {
    await presenceScenario(run, { openPeer });
  },

  // TURN credentials from the broker, media relayed through a real coturn: see turn-scenario.mjs.
  async turn(run) {
    await turnScenario(run);
  },

  // Rooms with peerjs-patches/switchboard.js: see rooms-scenario.mjs.
  async rooms(run) {
    await roomsScenario(run, { openPeer });
  },

  // The wake-up of an offline callee (webhooks): see wakeup-scenario.mjs.
  async wakeup(run) {
    await wakeupScenario(run, { openPeer });
  },
};

// Upstream's serialization suites (serialization_{binary,json,msgpack}.spec.ts): their cases, by name.
const E2E_SERIALIZATION = {
  binary: ['numbers', 'strings', 'long_string', 'objects', 'blobs', 'files', 'arrays', 'dates_as_string',
    'arraybuffers', 'TypedArrayView_as_ArrayBuffer', 'Uint8Array_as_ArrayBuffer', 'Int32Array_as_ArrayBuffer'],
  json: ['numbers', 'strings', 'objects', 'arrays_unchunked', 'dates_as_json_string'],
  MsgPack: ['numbers', 'strings', 'long_string', 'objects', 'arrays', 'dates', 'typed_array_view', 'Uint8Array',
    'Int32Array_as_Uint8Array'],
};

// PeerJS 1.5.5's e2e/ suite against this broker: peer/ (id-taken, server-unavailable, disconnected),
// mediachannel/close and datachannel/serialization_*. Page A sends and calls, page B receives.
scenarios['peerjs-e2e'] = async (run) => {
  const [a, b] = run.requirePages(2);
  await run.step('e2e-id-taken', { page: a.name }, () => a.e2e('idTaken', a.peerOptions, 10));
  const nowhere = { ...a.peerOptions, host: '127.0.0.1', port: run.spec.closedPort };
  await run.step('e2e-server-unavailable', { page: a.name }, () => a.e2e('serverUnavailable', nowhere));
  await run.step('e2e-disconnected', { page: a.name }, () => a.e2e('disconnected', a.peerOptions));
  const { id } = await run.step('e2e-receiver', { page: b.name }, () => b.e2e('startReceiver', b.peerOptions));
  await run.step('e2e-media-close', { from: a.name, to: b.name }, async () => {
    const [caller, callee] = await Promise.all([a.e2e('callAndAwaitRemoteClose', a.peerOptions, id), b.e2e('answerThenHangUp')]);
    return { caller, callee };
  });
  for (const [serialization, names] of Object.entries(E2E_SERIALIZATION)) {
    for (const name of names) {
      await run.step('e2e-serialization', { serialization, name }, async () => {
        const [, checked] = await Promise.all([a.e2e('send', a.peerOptions, id, serialization, name), b.e2e('check', serialization, name)]);
        return checked;
      });
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Steps shared by scenarios.

function openPeer(run, page) {
  return run.step('open', { page: page.name }, async () => {
    const result = await page.open();
    if (result.error) throw new Error(`peerjs error ${result.error.type}: ${result.error.message}`);
    page.id = result.id;
    return { id: result.id };
  });
}

function dataEcho(run, from, to) {
  return run.step('data-echo', { from: from.name, to: to.name }, async () => {
    const sent = `hello from ${from.name} at ${Date.now()}`;
    await to.call('echoData');
    const reply = await from.call('sendAndAwaitEcho', to.id, sent);
    if (reply.echo !== sent) throw new Error(`echo mismatch: sent ${JSON.stringify(sent)}, got ${JSON.stringify(reply)}`);
    if (reply.seenFrom !== from.id) throw new Error(`${to.name} saw the connection from ${reply.seenFrom}, not ${from.id}`);
    return { sent, echo: reply.echo, seenFrom: reply.seenFrom };
  });
}

function mediaCall(run, caller, callee) {
  return run.step('media-call', { from: caller.name, to: callee.name }, async () => {
    await callee.call('answerCalls');
    const [callerView, calleeView] = await Promise.all([
      caller.call('call', callee.id),
      callee.call('awaitIncomingCall'),
    ]);
    requireLiveAudioVideo(caller.name, callerView);
    requireLiveAudioVideo(callee.name, calleeView);
    if (calleeView.from !== caller.id) throw new Error(`${callee.name} got the call from ${calleeView.from}, not ${caller.id}`);
    return { caller: callerView, callee: calleeView };
  });
}

function requireLiveAudioVideo(name, view) {
  for (const kind of ['audio', 'video']) {
    if (!view.tracks.some((t) => t.kind === kind && t.readyState === 'live')) {
      throw new Error(`${name}'s remote stream has no live ${kind} track: ${JSON.stringify(view.tracks)}`);
    }
  }
  if (!(view.frame.width > 0)) throw new Error(`${name} decoded no remote video frame: ${JSON.stringify(view.frame)}`);
}

// ---------------------------------------------------------------------------------------------
// Plumbing.

class StepFailure extends Error {}

class Run {
  constructor(spec, pages) {
    this.spec = spec;
    this.pages = pages;
    this.pending = new Set();
  }

  requirePages(count) {
    if (this.pages.length < count) throw new StepFailure(`scenario ${this.spec.scenario} needs ${count} pages`);
    return this.pages;
  }

  async step(name, context, action) {
    const label = `${name} ${JSON.stringify(context)}`;
    const started = performance.now();
    this.pending.add(label);
    try {
      const detail = await action();
      emit({ step: name, ...context, ok: true, ms: elapsed(started), ...detail });
      return detail;
    } catch (err) {
      emit({ step: name, ...context, ok: false, ms: elapsed(started), reason: err.message });
      throw new StepFailure(`step ${label} failed: ${err.message}`);
    } finally {
      this.pending.delete(label);
    }
  }
}

class TestPage {
  constructor(spec, broker, page) {
    this.name = spec.name;
    this.page = page;
    const { id, ...options } = spec.peer || {};
    this.requestedId = id;
    this.id = id;
    this.expectError = spec.expectError;
    this.peerOptions = {
      host: broker.host, port: broker.port, path: broker.path ?? '/', key: broker.key ?? 'peerjs',
      secure: !!broker.secure, config: { iceServers: [] }, debug: 2, ...options,
    };
  }

  open() {
    return this.call('open', this.requestedId, this.peerOptions);
  }

  call(method, ...args) {
    return this.page.evaluate(([m, a]) => window.harness[m](...a), [method, args]);
  }

  // The upstream e2e scenarios (peerjs-e2e.js in the page).
  e2e(method, ...args) {
    return this.page.evaluate(([m, a]) => window.peerjsE2e[m](...a), [method, args]);
  }
}

let finished = false; // nothing is printed after the result line
const emit = (obj) => finished || process.stdout.write(`${JSON.stringify(obj)}\n`);
const log = (who, text) => process.stderr.write(`[${who}] ${text}\n`);
const elapsed = (since) => Math.round(performance.now() - since);
const truncate = (text) => (text.length > TRACE_LIMIT ? `${text.slice(0, TRACE_LIMIT)}… (${text.length} chars)` : text);

async function readSpec() {
  let text = process.argv[2];
  if (!text) {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    text = Buffer.concat(chunks).toString('utf8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StepFailure(`spec is not valid JSON: ${err.message}`);
  }
}

function validate(spec) {
  if (!spec.broker || !Number.isInteger(spec.broker.port) || !spec.broker.host) throw new StepFailure('spec.broker needs host and port');
  if (!scenarios[spec.scenario]) throw new StepFailure(`unknown scenario ${JSON.stringify(spec.scenario)}; known: ${Object.keys(scenarios).join(', ')}`);
  const names = (spec.pages || []).map((p) => p.name);
  if (names.some((n) => !n) || new Set(names).size !== names.length) throw new StepFailure('every page needs a unique name');
}

// Pages load from http://127.0.0.1 so they are a secure context (getUserMedia, WebRTC).
async function startPageServer(pageSpecs) {
  const files = new Map([['/page-harness.js', HARNESS], ['/serializer.msgpack.mjs', MSGPACK]]);
  const pages = new Map();
  for (const spec of pageSpecs) {
    const extra = (spec.scripts || []).map((file, i) => {
      const url = `/extra/${encodeURIComponent(spec.name)}/${i}/${path.basename(file)}`;
      files.set(url, path.resolve(HERE, file));
      return url;
    });
    const version = spec.peerjs ?? '1.5.5';
    if (!PEERJS_BUILDS[version]) throw new StepFailure(`page ${spec.name}: unknown peerjs ${version}; known: ${Object.keys(PEERJS_BUILDS).join(', ')}`);
    files.set(`/peerjs-${version}.min.js`, PEERJS_BUILDS[version]);
    const tags = [`/peerjs-${version}.min.js`, ...extra, '/page-harness.js'].map((src) => `<script src="${src}"></script>`);
    pages.set(`/page/${encodeURIComponent(spec.name)}`,
      `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${spec.name}</title></head><body>\n${tags.join('\n')}\n</body></html>`);
  }
  for (const file of files.values()) await fs.access(file).catch(() => { throw new StepFailure(`missing file ${file}`); });

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1').pathname;
    if (pages.has(url)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages.get(url));
    } else if (files.has(url)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(await fs.readFile(files.get(url)));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return server;
}

function watch(page, name, trace) {
  page.on('console', (msg) => log(name, `console.${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => log(name, `pageerror: ${err.message}`));
  page.on('crash', () => log(name, 'page crashed'));
  page.on('requestfailed', (req) => log(name, `request failed: ${req.url()} ${req.failure()?.errorText}`));
  if (!trace) return;
  page.on('websocket', (ws) => {
    log(name, `ws open ${ws.url()}`);
    ws.on('framesent', (f) => log(name, `ws > ${truncate(String(f.payload))}`));
    ws.on('framereceived', (f) => log(name, `ws < ${truncate(String(f.payload))}`));
    ws.on('socketerror', (err) => log(name, `ws error ${err}`));
    ws.on('close', () => log(name, 'ws closed'));
  });
}

async function main() {
  const started = performance.now();
  let spec = {};
  let browser;
  let server;
  let run;
  const finish = async (result, code) => {
    if (finished) return;
    emit({ ...result, scenario: spec.scenario, ms: elapsed(started) });
    finished = true;
    process.exitCode = code;
    const cleanup = Promise.allSettled([browser?.close(), server && new Promise((r) => server.close(r))]);
    await Promise.race([cleanup, new Promise((r) => setTimeout(r, 3000))]);
    process.exit(code);
  };

  try {
    spec = await readSpec();
    validate(spec);
    const timeoutMs = spec.timeoutMs ?? 30000;
    setTimeout(() => {
      const pending = run ? [...run.pending] : [];
      finish({ result: 'fail', reason: `timed out after ${timeoutMs} ms${pending.length ? ` during ${pending.join(', ')}` : ''}` }, 2);
    }, timeoutMs);

    server = await startPageServer(spec.pages);
    const origin = `http://127.0.0.1:${server.address().port}`;
    // A broker behind TLS in tests has a certificate made for the test: let Chromium take it.
    const flags = spec.broker.secure ? [...CHROMIUM_FLAGS, '--ignore-certificate-errors'] : CHROMIUM_FLAGS;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: flags });
    log('driver', `chromium ${browser.version()}, pages served from ${origin}`);

    const load = async (pageSpec) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      watch(page, pageSpec.name, spec.trace ?? true);
      if (pageSpec.initScript) await page.addInitScript({ content: pageSpec.initScript });
      await page.goto(`${origin}/page/${encodeURIComponent(pageSpec.name)}`);
      if (!(await page.evaluate(() => typeof Peer === 'function' && typeof window.harness === 'object'))) {
        throw new StepFailure(`page ${pageSpec.name} did not load PeerJS and the harness`);
      }
      return page;
    };
    const pages = [];
    for (const pageSpec of spec.pages) {
      const page = pageSpec.deferred ? null : await load(pageSpec);
      pages.push(new TestPage(pageSpec, { ...spec.broker, ...(pageSpec.broker || {}) }, page));
    }

    run = new Run(spec, pages);
    // A deferred page's browser page is opened by its scenario, when it chooses.
    run.load = async (testPage) => {
      testPage.page = await load(spec.pages.find((p) => p.name === testPage.name));
    };
    await scenarios[spec.scenario](run);
    await finish({ result: 'pass' }, 0);
  } catch (err) {
    await finish({ result: 'fail', reason: err instanceof StepFailure ? err.message : String(err.stack || err) }, 1);
  }
}

main();

// Drives the broker's real --demo page (not a test harness) in two tabs of headless Chromium with a fake
// camera, the way a newcomer would use it, and takes a screenshot mid-call.
//
//   node demo-tabs.mjs '<spec json>'      or      node demo-tabs.mjs < spec.json
//
// Spec: {"url": "http://127.0.0.1:9000/demo/", "names": ["alice", "bob"], "room": "standup",
//        "screenshot": "/abs/path/demo.png", "timeoutMs": 60000}
//   or, against a broker with --auth: {"url", "names", "tokens": {"alice": "…", "bob": "…"}, "badToken": "…"}
//   (steps token-refused, sign-in, online: see authScenario)
//
// Steps: sign-in (each tab), online (each sees the other in the lobby), name-taken (a third tab asking for
// a name in use is told so on the page), room (both join one room and list each other), call (A calls B,
// B rings, B accepts, both in a call, each sees the other busy), media (video frames decoded in both
// tabs), screenshot, hangup (A hangs up, both idle, each sees the other online), no-errors.
// stdout: one JSON line per step and a last {"result": "pass"|"fail"} line; stderr: the pages' consoles.
// Exit 0 only when every step passed.
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
const WAIT_MS = 15000;

let finished = false;
const emit = (obj) => finished || process.stdout.write(`${JSON.stringify(obj)}\n`);
const log = (who, text) => process.stderr.write(`[${who}] ${text}\n`);
const elapsed = (since) => Math.round(performance.now() - since);

async function step(name, context, action) {
  const started = performance.now();
  try {
    const detail = (await action()) || {};
    emit({ step: name, ...context, ok: true, ms: elapsed(started), ...detail });
    return detail;
  } catch (err) {
    emit({ step: name, ...context, ok: false, ms: elapsed(started), reason: err.message });
    throw new Error(`step ${name} ${JSON.stringify(context)} failed: ${err.message}`);
  }
}

class Tab {
  constructor(name, page) {
    this.name = name;
    this.page = page;
  }

  async signIn(url, name, token) {
    if (this.page.url() !== url) await this.page.goto(url);
    await this.page.fill('#name', name);
    if (token !== undefined) await this.page.fill('#token', token);
    await this.page.click('#connect');
  }

  waitFor(description, predicate, arg) {
    return this.page.waitForFunction(predicate, arg, { timeout: WAIT_MS, polling: 100 }).catch(async (err) => {
      throw new Error(`${this.name}: ${description} did not happen (${err.message.split('\n')[0]}); page shows: ${await this.summary()}`);
    });
  }

  waitState(attribute, value) {
    return this.waitFor(`data-${attribute}=${value}`, ([a, v]) => document.body.dataset[a] === v, [attribute, value]);
  }

  // Waits until the list `listId` shows `peer` with `status`.
  waitListed(listId, peer, status) {
    return this.waitFor(`${peer} ${status} in #${listId}`, ([l, p, s]) => {
      const row = [...document.querySelectorAll(`#${l} li`)].find((li) => li.dataset.peer === p);
      return !!row && row.querySelector('.status').textContent === s;
    }, [listId, peer, status]);
  }

  text(selector) {
    return this.page.textContent(selector);
  }

  // Frames the remote <video> decoded, once it shows a picture.
  async remoteFrames() {
    await this.waitFor('remote video frames', () => {
      const v = document.getElementById('remote-video');
      return v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0;
    });
    return this.page.evaluate(() => {
      const v = document.getElementById('remote-video');
      return { width: v.videoWidth, height: v.videoHeight, frames: v.getVideoPlaybackQuality().totalVideoFrames,
        audioTracks: v.srcObject.getAudioTracks().length };
    });
  }

  summary() {
    return this.page.evaluate(() => JSON.stringify({
      state: document.body.dataset.state, call: document.body.dataset.call,
      error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
      callStatus: document.getElementById('call-status')?.textContent,
      online: [...document.querySelectorAll('#online li')].map((li) => li.textContent),
    })).catch((err) => `(unreadable: ${err.message})`);
  }
}

async function openTabs(browser) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  return async (label) => {
    const page = await context.newPage();
    page.on('console', (msg) => log(label, `console.${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (err) => log(label, `pageerror: ${err.message}`));
    page.on('requestfailed', (req) => log(label, `request failed: ${req.url()} ${req.failure()?.errorText}`));
    page.on('websocket', (ws) => {
      log(label, `ws open ${ws.url()}`);
      ws.on('framesent', (f) => log(label, `ws > ${String(f.payload).slice(0, 300)}`));
      ws.on('framereceived', (f) => log(label, `ws < ${String(f.payload).slice(0, 300)}`));
      ws.on('close', () => log(label, 'ws closed'));
    });
    return new Tab(label, page);
  };
}

async function scenario(browser, spec) {
  const [nameA, nameB] = spec.names;
  const open = await openTabs(browser);
  const a = await open('A');
  const b = await open('B');

  for (const [tab, name] of [[a, nameA], [b, nameB]]) {
    await step('sign-in', { tab: tab.name, name }, async () => {
      await tab.signIn(spec.url, name);
      await tab.waitState('state', 'online');
      // Without --auth and with the default key the page asks for neither; signed in, the form is gone.
      for (const shown of ['#signin', '#key-field', '#token-field']) {
        if (await tab.page.isVisible(shown)) throw new Error(`${shown} is still shown after sign-in`);
      }
      if (!(await tab.page.isVisible('#app'))) throw new Error('the app is not shown after sign-in');
      return { me: await tab.text('#me') };
    });
  }

  await step('online', {}, async () => {
    await Promise.all([a.waitListed('online', nameB, 'online'), b.waitListed('online', nameA, 'online')]);
    return { atA: await a.text('#online'), atB: await b.text('#online') };
  });

  await step('name-taken', { name: nameA }, async () => {
    const c = await open('C');
    await c.signIn(spec.url, nameA);
    await c.waitFor('the error for a taken name', () => !document.getElementById('error').hidden);
    const shown = await c.text('#error');
    if (!shown.includes('is taken')) throw new Error(`the page said ${JSON.stringify(shown)}`);
    if (await c.page.evaluate(() => document.body.dataset.state) !== 'signed-out') throw new Error('not back at sign-in');
    await c.page.close();
    return { shown };
  });

  await step('room', { room: spec.room }, async () => {
    for (const tab of [a, b]) {
      await tab.page.fill('#room-id', spec.room);
      await tab.page.click('#join-room');
      await tab.waitFor(`joined ${spec.room}`, (r) => document.getElementById('room-status').textContent.includes(`In room ${r}`), spec.room);
    }
    await Promise.all([a.waitListed('room-members', nameB, 'online'), b.waitListed('room-members', nameA, 'online')]);
    return { atA: await a.text('#room-status'), atB: await b.text('#room-status') };
  });

  await step('call', { from: a.name, to: b.name }, async () => {
    await a.page.click(`#online li[data-peer="${nameB}"] button`);
    await b.waitState('call', 'ringing');
    await b.waitFor('the ringer', () => !document.getElementById('ringer').hidden);
    const ringer = await b.text('#ringer');
    if (!ringer.includes(`${nameA} is calling`)) throw new Error(`B's ringer says ${JSON.stringify(ringer)}`);
    const callerStatus = await a.text('#call-status');
    await b.page.click('#accept');
    await Promise.all([a.waitState('call', 'in-call'), b.waitState('call', 'in-call')]);
    // The broker marks both users busy while the call lasts (presence), and each tab shows it.
    await Promise.all([a.waitListed('online', nameB, 'busy'), b.waitListed('online', nameA, 'busy')]);
    return { ringer: ringer.trim().replace(/\s+/g, ' '), callerStatus, atA: await a.text('#call-status'), atB: await b.text('#call-status') };
  });

  await step('media', {}, async () => {
    const [atA, atB] = await Promise.all([a.remoteFrames(), b.remoteFrames()]);
    return { atA, atB };
  });

  await step('screenshot', { tab: a.name }, async () => {
    if (!spec.screenshot) throw new Error('spec.screenshot names no file');
    // A tab in the background paints no video: bring it forward and let both videos paint a new frame.
    await a.page.bringToFront();
    await a.page.evaluate(() => Promise.all(['local-video', 'remote-video'].map((id) => new Promise((resolve) => {
      document.getElementById(id).requestVideoFrameCallback(() => resolve());
    }))));
    await a.page.screenshot({ path: spec.screenshot, fullPage: true });
    return { file: spec.screenshot };
  });

  await step('hangup', { by: a.name }, async () => {
    await a.page.click('#hangup');
    await Promise.all([a.waitState('call', 'idle'), b.waitState('call', 'idle')]);
    await Promise.all([a.waitListed('online', nameB, 'online'), b.waitListed('online', nameA, 'online')]);
    const cleared = await b.page.evaluate(() => document.getElementById('remote-video').srcObject === null);
    if (!cleared) throw new Error('B still shows the remote video');
    return { atA: await a.text('#call-status'), atB: await b.text('#call-status') };
  });

  await step('no-errors', {}, async () => {
    for (const tab of [a, b]) {
      const error = await tab.page.evaluate(() => (document.getElementById('error').hidden ? null : document.getElementById('error').textContent));
      if (error) throw new Error(`${tab.name} shows an error: ${error}`);
    }
    return {};
  });
}

// With --auth: the page asks for a token, shows the broker's refusal of a wrong one, and signs in with the
// right one; both tabs then see each other. spec.tokens: {name: token}; spec.badToken: a token for no one.
async function authScenario(browser, spec) {
  const open = await openTabs(browser);
  const tabs = [await open('A'), await open('B')];
  await step('token-refused', { tab: 'A', name: spec.names[0] }, async () => {
    const a = tabs[0];
    await a.page.goto(spec.url);
    await a.waitFor('the token field', () => !document.getElementById('token-field').hidden);
    await a.signIn(spec.url, spec.names[0], spec.badToken);
    await a.waitFor('the refusal', () => !document.getElementById('error').hidden);
    await a.waitState('state', 'signed-out');
    return { shown: await a.text('#error') };
  });
  for (const [i, tab] of tabs.entries()) {
    await step('sign-in', { tab: tab.name, name: spec.names[i] }, async () => {
      await tab.signIn(spec.url, spec.names[i], spec.tokens[spec.names[i]]);
      await tab.waitState('state', 'online');
      return { me: await tab.text('#me') };
    });
  }
  await step('online', {}, async () => {
    await Promise.all([tabs[0].waitListed('online', spec.names[1], 'online'), tabs[1].waitListed('online', spec.names[0], 'online')]);
    return {};
  });
}

async function main() {
  const started = performance.now();
  let browser;
  const finish = async (result, code) => {
    if (finished) return;
    emit({ ...result, ms: elapsed(started) });
    finished = true;
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 3000))]);
    process.exit(code);
  };
  try {
    let text = process.argv[2];
    if (!text) {
      const chunks = [];
      for await (const chunk of process.stdin) chunks.push(chunk);
      text = Buffer.concat(chunks).toString('utf8');
    }
    const spec = JSON.parse(text);
    if (!spec.url || !Array.isArray(spec.names) || spec.names.length !== 2 || !(spec.room || spec.tokens)) {
      throw new Error('spec needs url, two names and a room (or tokens)');
    }
    const timeoutMs = spec.timeoutMs ?? 60000;
    setTimeout(() => finish({ result: 'fail', reason: `timed out after ${timeoutMs} ms` }, 2), timeoutMs);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    log('driver', `chromium ${browser.version()}, demo at ${spec.url}`);
    await (spec.tokens ? authScenario : scenario)(browser, spec);
    await finish({ result: 'pass' }, 0);
  } catch (err) {
    await finish({ result: 'fail', reason: err.message }, 1);
  }
}

main();

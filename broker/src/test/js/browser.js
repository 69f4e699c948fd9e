// Drives Debian's headless Chromium with playwright-core for Courtier's browser tests.
// Run by JUnit (io.courtier.broker.web.BrowserTest): `node browser.js SCENARIO 'JSON-ARGS'`.
// Prints what it observed as `key base64(value)` lines (arrays joined by newlines), which
// JUnit decodes without a JSON library and asserts on. Exit code 0 unless the
// scenario could not run at all (then the error is printed to stderr).
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [scenario, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs || '{}');
const result = { scenario, steps: [] };
const step = (name, value) => {
  result.steps.push(name);
  if (value !== undefined) result[name] = value;
  if (process.env.BROWSER_DEBUG) console.error(new Date().toISOString(), 'step', name, value === undefined ? '' : value);
};

async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'courtier-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true, // wss:// tests use a self-signed certificate
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
  });
  context.userDataDir = userDataDir;
  return context;
}

// Runs a mosquitto client; resolves with its stdout when it exits. With waitFor, also
// resolves `ready` once that text appears on stdout (mosquitto_sub -d prints SUBACK).
function mosquitto(program, argv, waitFor) {
  // stdbuf: line-buffered stdout, or the -d lines would sit in the pipe's buffer.
  const child = spawn('stdbuf', ['-oL', program, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let readyResolve;
  const ready = new Promise((r) => { readyResolve = r; });
  child.stdout.on('data', (d) => { out += d; if (waitFor && out.includes(waitFor)) readyResolve(); });
  child.stderr.on('data', (d) => { out += d; });
  const done = new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
  return { child, ready, done };
}

// mosquitto_sub -d interleaves its debug lines with the payloads it prints.
const isPayloadLine = (l) => l && !l.startsWith('Client ') && !l.startsWith('Subscribed (');

const withTimeout = (p, ms, what) => Promise.race([p,
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out: ' + what)), ms))]);

// MQTT.js in a page connects to Courtier over ws:// (or wss://), receives what mosquitto_pub
// sends and publishes what mosquitto_sub receives.
async function mqttjs(context) {
  const page = await context.newPage();
  page.on('console', (m) => result.console = (result.console || []).concat(m.text()));
  // The page comes from the broker's own listener (http_dir), as with Mosquitto: Chromium's
  // local network access checks refuse ws://127.0.0.1 from an unrelated origin.
  await page.goto(args.pageUrl);
  await page.waitForFunction(() => typeof mqtt === 'object', null, { timeout: 10000 });
  step('loaded');
  await page.evaluate((a) => new Promise((resolve, reject) => {
    const c = mqtt.connect(a.url, { clientId: 'browser-mqttjs', protocolVersion: a.protocolVersion || 4, reconnectPeriod: 0 });
    window.received = [];
    c.on('message', (t, p) => window.received.push(t + ' ' + p.toString()));
    c.on('error', (e) => reject(new Error('mqtt error ' + e.message)));
    c.on('close', () => reject(new Error('connection closed before it was set up')));
    c.on('connect', () => c.subscribe('browser/in', { qos: 1 }, (err) => err ? reject(err) : resolve()));
    window.client = c;
  }).then(() => undefined), { url: args.url, protocolVersion: args.protocolVersion });
  step('subscribed');
  const pub = mosquitto('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-q', '1',
    '-t', 'browser/in', '-m', 'hello from mosquitto_pub']);
  await withTimeout(pub.done, 10000, 'mosquitto_pub');
  await page.waitForFunction(() => window.received.length > 0, null, { timeout: 10000 });
  step('received', await page.evaluate(() => window.received[0]));

  const sub = mosquitto('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-d', '-C', '1',
    '-W', '15', '-t', 'browser/out', '-q', '1'], 'SUBACK');
  await withTimeout(sub.ready, 10000, 'mosquitto_sub SUBACK');
  await page.evaluate(() => new Promise((resolve, reject) =>
    window.client.publish('browser/out', 'hello from MQTT.js', { qos: 1 }, (e) => e ? reject(e) : resolve())));
  const got = await withTimeout(sub.done, 15000, 'mosquitto_sub');
  step('mosquittoSubOutput', got.out.split('\n').filter(isPayloadLine).join('\n'));
  await page.evaluate(() => new Promise((r) => window.client.end(false, {}, r)));
}

// Polls an async condition (waitForFunction does not await a predicate's promise).
async function until(condition, ms, what) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Paho JavaScript (the paho-mqtt npm package) does the same; mqttVersion 3 asks for the
// "mqttv3.1" subprotocol and speaks MQTT 3.1, 4 asks for "mqtt".
async function pahojs(context) {
  const page = await context.newPage();
  await page.goto(args.pageUrl);
  await page.addScriptTag({ path: require.resolve('paho-mqtt/paho-mqtt.js') });
  step('loaded');
  await page.evaluate((a) => new Promise((resolve, reject) => {
    const c = new Paho.Client('127.0.0.1', a.wsPort, '/mqtt', 'browser-paho');
    window.received = [];
    c.onMessageArrived = (m) => window.received.push(m.destinationName + ' ' + m.payloadString);
    c.connect({
      mqttVersion: a.mqttVersion, timeout: 10,
      onFailure: (e) => reject(new Error('connect failed: ' + e.errorMessage)),
      onSuccess: () => c.subscribe('browser/in', { qos: 1, onSuccess: () => resolve(),
        onFailure: () => reject(new Error('subscribe failed')) }),
    });
    window.client = c;
  }), { wsPort: args.wsPort, mqttVersion: args.mqttVersion });
  step('subscribed');
  const pub = mosquitto('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-q', '1',
    '-t', 'browser/in', '-m', 'hello from mosquitto_pub']);
  await withTimeout(pub.done, 10000, 'mosquitto_pub');
  await page.waitForFunction(() => window.received.length > 0, null, { timeout: 10000 });
  step('received', await page.evaluate(() => window.received[0]));
  const sub = mosquitto('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-d', '-C', '1',
    '-W', '15', '-t', 'browser/out', '-q', '1'], 'SUBACK');
  await withTimeout(sub.ready, 10000, 'mosquitto_sub SUBACK');
  await page.evaluate(() => {
    const m = new Paho.Message('hello from Paho JS');
    m.destinationName = 'browser/out';
    m.qos = 1;
    window.client.send(m);
  });
  const got = await withTimeout(sub.done, 15000, 'mosquitto_sub');
  step('mosquittoSubOutput', got.out.split('\n').filter(isPayloadLine).join('\n'));
  await page.evaluate(() => window.client.disconnect());
  step('disconnected');
}

const text = (page, sel) => page.locator(sel).first().innerText();

// The console: live overview, clients table, publish from the page, retained topics tree,
// screenshots on a laptop and a phone.
async function consoleScenario(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(args.consoleUrl);
  await page.waitForFunction(() => document.getElementById('mqtt-state').textContent === 'live', null, { timeout: 15000 });
  step('live');
  // The console's own MQTT connection counts too: wait until $SYS agrees with the API.
  await until(() => page.evaluate(async () => {
    const shown = Number(document.getElementById('ov-clients').textContent);
    const api = await (await fetch('api/clients')).json();
    return shown === api.clients.filter((c) => c.connected).length;
  }), 15000, '$SYS clients/connected to count the console');
  const before = Number(await text(page, '#ov-clients'));
  step('clientsBefore', before);

  // A new client connects: the overview's count follows ($SYS, every sys_interval).
  const watcher = mosquitto('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-d', '-i', 'console-watcher',
    '-C', '1', '-W', '30', '-t', 'console/out', '-q', '1'], 'SUBACK');
  await withTimeout(watcher.ready, 10000, 'mosquitto_sub SUBACK');
  await page.waitForFunction((n) => Number(document.getElementById('ov-clients').textContent) === n + 1, before,
    { timeout: 15000 });
  step('clientsAfter', Number(await text(page, '#ov-clients')));
  // Let the chart collect a few ticks of the traffic the test generates.
  await page.waitForFunction(() => document.getElementById('ov-rate-in').textContent !== '–', null, { timeout: 15000 });
  await page.waitForTimeout(args.chartMillis || 4000);
  await page.screenshot({ path: path.join(args.outDir, 'console-overview.png'), fullPage: true });
  step('screenshotOverview');

  // Clients table.
  await page.click('nav button[data-tab=clients]');
  await page.waitForSelector('#client-table td.id >> text=console-watcher', { timeout: 10000 });
  step('clientListed');
  await page.screenshot({ path: path.join(args.outDir, 'console-clients.png'), fullPage: true });

  // Publish and subscribe from the console.
  await page.click('nav button[data-tab=pubsub]');
  await page.fill('#sub-topic', 'console/#');
  await page.click('#sub-form button[type=submit]');
  await page.waitForSelector('#sub-list li', { timeout: 10000 });
  await page.fill('#pub-topic', 'console/out');
  await page.fill('#pub-payload', 'hello from the console');
  await page.selectOption('#pub-qos', '1');
  await page.click('#pub-form button[type=submit]');
  const got = await withTimeout(watcher.done, 15000, 'mosquitto_sub console/out');
  step('subscriberGot', got.out.split('\n').filter(isPayloadLine).join('\n'));
  await page.waitForSelector('#msg-table td.msg-payload >> text=hello from the console', { timeout: 10000 });
  step('consoleSawOwnMessage');
  await page.screenshot({ path: path.join(args.outDir, 'console-pubsub.png'), fullPage: true });

  // Disconnect a client from the clients table (two clicks: the second confirms).
  const victim = mosquitto('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-d', '-i', 'console-victim',
    '-t', 'x/#'], 'SUBACK');
  await withTimeout(victim.ready, 10000, 'victim SUBACK');
  await page.click('nav button[data-tab=clients]');
  const row = page.locator('#client-table tr', { hasText: 'console-victim' });
  await row.locator('button.danger').click();
  await row.locator('button.danger.confirm').click();
  await page.waitForSelector('#client-message >> text=Disconnected console-victim.', { timeout: 10000 });
  step('disconnected');
  victim.child.kill();

  // Retained messages as a tree; a payload on click.
  const retained = mosquitto('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(args.tcpPort), '-r', '-t',
    'home/kitchen/temperature', '-m', '{"celsius":21.5}']);
  await withTimeout(retained.done, 10000, 'mosquitto_pub -r');
  await page.click('nav button[data-tab=topics]');
  await page.click('#topic-refresh');
  // Top-level folders start open; deeper ones open on a click.
  await page.click('#topic-tree summary:has-text("kitchen")');
  await page.click('#topic-tree button.leaf:has-text("temperature")');
  await page.waitForFunction(() => document.getElementById('payload-view').textContent.includes('21.5'), null, { timeout: 10000 });
  step('payloadShown', await text(page, '#payload-view'));
  await page.screenshot({ path: path.join(args.outDir, 'console-topics.png'), fullPage: true });

  // A phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('nav button[data-tab=overview]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(args.outDir, 'console-phone.png'), fullPage: true });
  result.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  step('screenshotPhone');
  result.pageErrors = errors;
}

// sys_interval 0: no $SYS, the overview polls the JSON API instead.
async function noSysScenario(context) {
  const page = await context.newPage();
  await page.goto(args.consoleUrl);
  await page.waitForFunction(() => Number(document.getElementById('ov-clients').textContent) >= 1
    && document.getElementById('ov-uptime').textContent !== '–', null, { timeout: 15000 });
  step('clients', await text(page, '#ov-clients'));
  step('source', await text(page, '#ov-source'));
}

// A broker with a bridge: its tab lists it, up, with what it forwarded.
async function bridgesScenario(context) {
  const page = await context.newPage();
  await page.goto(args.consoleUrl + '#bridges');
  await page.waitForFunction(() => {
    const row = document.querySelector('#bridge-table tbody tr');
    return row && row.textContent.includes('up');
  }, null, { timeout: 20000 });
  step('row', await text(page, '#bridge-table tbody tr'));
  await page.screenshot({ path: path.join(args.outDir, 'console-bridges.png'), fullPage: true });
}

// allow_anonymous false: the page asks for a login and then works with it.
async function loginScenario(context) {
  const page = await context.newPage();
  await page.goto(args.consoleUrl);
  await page.waitForSelector('#login:not(.hidden)', { timeout: 10000 });
  step('loginShown');
  await page.fill('#login-user', args.user);
  await page.fill('#login-pass', 'wrong');
  await page.click('#login-form button');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0, null, { timeout: 10000 });
  step('wrongPasswordRefused', await text(page, '#login-error'));
  await page.fill('#login-user', args.user);
  await page.fill('#login-pass', args.password);
  await page.click('#login-form button');
  await page.waitForFunction(() => document.getElementById('mqtt-state').textContent === 'live', null, { timeout: 15000 });
  step('liveAfterLogin', await text(page, '#who'));
  await page.screenshot({ path: path.join(args.outDir, 'console-login.png') });
}

// The Security tab: log in as the dynamic security admin, add a client and a role, give the
// role an ACL and the client the role, each through the page's forms.
async function securityScenario(context) {
  const page = await context.newPage();
  await page.goto(args.consoleUrl + '#security');
  await page.waitForSelector('#login:not(.hidden)', { timeout: 10000 });
  await page.fill('#login-user', args.user);
  await page.fill('#login-pass', args.password);
  await page.click('#login-form button');
  await page.waitForSelector('#security-tab:not(.hidden)', { timeout: 15000 });
  await page.click('#security-tab');
  await page.waitForFunction(() => document.querySelector('#sec-clients tbody').innerText.includes('admin'), null, { timeout: 10000 });
  step('securityShown');
  await page.fill('#sec-client-name', args.client);
  await page.fill('#sec-client-pass', args.clientPassword);
  await page.click('#sec-client-form button');
  await page.waitForFunction((n) => document.querySelector('#sec-clients tbody').innerText.includes(n), args.client, { timeout: 10000 });
  step('clientAdded');
  await page.fill('#sec-role-name', args.role);
  await page.click('#sec-role-form button');
  await page.waitForFunction((n) => document.querySelector('#sec-roles tbody').innerText.includes(n), args.role, { timeout: 10000 });
  step('roleAdded');
  await page.selectOption('#sec-acl-role', args.role);
  await page.selectOption('#sec-acl-type', 'publishClientSend');
  await page.fill('#sec-acl-topic', args.topic);
  await page.click('#sec-acl-form button');
  await page.waitForFunction((t) => document.querySelector('#sec-roles tbody').innerText.includes(t), args.topic, { timeout: 10000 });
  step('aclAdded');
  await page.selectOption('#sec-cr-client', args.client);
  await page.selectOption('#sec-cr-role', args.role);
  await page.click('#sec-client-role-form button');
  await page.waitForFunction((a) => [...document.querySelectorAll('#sec-clients tbody tr')]
    .some((tr) => tr.innerText.includes(a.client) && tr.innerText.includes(a.role)), args, { timeout: 10000 });
  step('roleGiven', await text(page, '#sec-status'));
  await page.screenshot({ path: path.join(args.outDir, 'console-security.png'), fullPage: true });
}

// Never outlive the JUnit test that started us.
setTimeout(() => { console.error('browser.js: scenario took too long'); process.exit(3); }, 110000).unref();

(async () => {
  const context = await launch();
  try {
    if (scenario === 'mqttjs') await mqttjs(context);
    else if (scenario === 'pahojs') await pahojs(context);
    else if (scenario === 'console') await consoleScenario(context);
    else if (scenario === 'login') await loginScenario(context);
    else if (scenario === 'nosys') await noSysScenario(context);
    else if (scenario === 'security') await securityScenario(context);
    else if (scenario === 'bridges') await bridgesScenario(context);
    else throw new Error('unknown scenario ' + scenario);
  } catch (e) {
    result.error = String(e && e.stack || e);
  } finally {
    await context.close();
    try { fs.rmSync(context.userDataDir, { recursive: true, force: true }); } catch (e) { /* best effort */ }
  }
  let out = '';
  for (const [k, v] of Object.entries(result)) {
    const value = Array.isArray(v) ? v.join('\n') : String(v);
    out += k + ' ' + Buffer.from(value, 'utf8').toString('base64') + '\n';
  }
  // Exit once written: leftover handles (child pipes, sockets) must not keep us alive.
  process.stdout.write(out, () => process.exit(0));
})().catch((e) => { console.error(e); process.exit(2); });

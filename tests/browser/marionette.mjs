// A small client for Firefox's own remote protocol, Marionette (protocol
// level 3), enough to drive Debian's firefox-esr without geckodriver:
// starting Firefox on a throwaway profile, the length-prefixed JSON framing,
// commands with a timeout each, WebDriver errors as exceptions that name the
// command, and wait-for helpers that poll.
//
// Wire format: the server greets with `LEN:{"applicationType":"gecko",
// "marionetteProtocol":3}`; a command is `LEN:[0, id, "Name", params]` and
// its reply `LEN:[1, id, error|null, result]`, LEN the decimal byte length of
// the JSON that follows. Commands run one at a time on a connection.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// The WebDriver element reference key (W3C WebDriver, "web element identifier").
export const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

// WebDriver key codes for PerformActions (W3C WebDriver, "keyboard actions").
export const KEYS = { tab: '\uE004', enter: '\uE007', backspace: '\uE003' };

// A WebDriver error reported by Firefox (`error` is its code, e.g. "no such
// element", "insecure certificate") or a failure of the connection itself
// (`error` is "connection" or "timeout").
export class MarionetteError extends Error {
  constructor(command, error, message, stacktrace) {
    super(`${command}: ${error}: ${message}`);
    this.command = command;
    this.error = error;
    this.detail = message;
    this.remoteStack = stacktrace;
  }
}

// One Marionette connection. Not safe for overlapping commands: each call
// awaits its reply before the next is sent (the protocol allows one command
// in flight per connection anyway).
export class Marionette {
  #socket;
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  #pending = new Map();  // id -> { resolve, reject, timer, command }
  #greeting = null;
  #closed = null;

  constructor(socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => this.#receive(chunk));
    const fail = (why) => {
      this.#closed = why;
      for (const [, waiter] of this.#pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new MarionetteError(waiter.command, 'connection', why));
      }
      this.#pending.clear();
    };
    socket.on('error', (error) => fail(`connection failed: ${error.message}`));
    socket.on('close', () => fail(this.#closed ?? 'connection closed by Firefox'));
  }

  // Connects to 127.0.0.1:port and waits for the greeting; fails if it is
  // not Marionette protocol 3 or does not come within timeoutMs.
  static async connect(port, { timeoutMs = 10_000 } = {}) {
    const socket = net.connect(port, '127.0.0.1');
    const client = new Marionette(socket);
    const greeting = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Marionette greeting on port ${port} within ${timeoutMs} ms`)), timeoutMs);
      client.#pending.set(0, {
        command: 'greeting',
        timer,
        resolve: (value) => { clearTimeout(timer); resolve(value); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      });
    }).catch((error) => {
      socket.destroy();
      throw error;
    });
    if (greeting?.marionetteProtocol !== 3) {
      socket.destroy();
      throw new Error(`unexpected Marionette greeting: ${JSON.stringify(greeting)}`);
    }
    client.#greeting = greeting;
    return client;
  }

  get greeting() {
    return this.#greeting;
  }

  // Sends `name` with `params`; resolves to the reply's result, rejects with
  // a MarionetteError for an error reply, a closed connection, or no reply
  // within timeoutMs.
  command(name, params = {}, { timeoutMs = 15_000 } = {}) {
    if (this.#closed) return Promise.reject(new MarionetteError(name, 'connection', this.#closed));
    const id = this.#nextId;
    this.#nextId += 1;
    const json = JSON.stringify([0, id, name, params]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new MarionetteError(name, 'timeout', `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { command: name, timer, resolve, reject });
      this.#socket.write(`${Buffer.byteLength(json)}:${json}`);
    });
  }

  close() {
    this.#closed = this.#closed ?? 'closed by the client';
    this.#socket.destroy();
  }

  // Splits the stream into LEN:JSON frames and settles the waiting command.
  #receive(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const header = this.#buffer.subarray(0, colon).toString('latin1');
      if (!/^\d+$/.test(header)) {
        this.#socket.destroy(new Error(`bad Marionette frame header "${header.slice(0, 20)}"`));
        return;
      }
      const length = Number(header);
      if (this.#buffer.length < colon + 1 + length) return;
      const body = this.#buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(colon + 1 + length);
      let message;
      try {
        message = JSON.parse(body);
      } catch {
        this.#socket.destroy(new Error('Marionette frame is not JSON'));
        return;
      }
      this.#settle(message);
    }
  }

  #settle(message) {
    if (!Array.isArray(message)) {  // the greeting
      const waiter = this.#pending.get(0);
      this.#pending.delete(0);
      waiter?.resolve(message);
      return;
    }
    const [type, id, error, result] = message;
    const waiter = this.#pending.get(id);
    if (type !== 1 || !waiter) return;  // a reply to a command that timed out
    this.#pending.delete(id);
    clearTimeout(waiter.timer);
    if (error) {
      waiter.reject(new MarionetteError(waiter.command, error.error, error.message, error.stacktrace));
    } else {
      waiter.resolve(result);
    }
  }
}

// Polls `probe` (sync or async) every intervalMs until it returns a truthy
// value, which it resolves to; errors thrown by probe count as "not yet".
// Rejects after timeoutMs with `what` and the last value or error seen.
export async function waitFor(what, probe, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = `last value: ${JSON.stringify(value)}`;
    } catch (error) {
      last = `last error: ${error?.message ?? error}`;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${last})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// A WebDriver session over a Marionette connection, with the few commands
// the tests use. Element ids are Marionette's opaque strings.
export class Session {
  constructor(client) {
    this.client = client;
  }

  static async start(client, capabilities = { alwaysMatch: { acceptInsecureCerts: false } }) {
    const session = new Session(client);
    session.capabilities = (await client.command('WebDriver:NewSession', { capabilities })).capabilities;
    return session;
  }

  cmd(name, params, options) {
    return this.client.command(name, params, options);
  }

  async navigate(url) {
    await this.cmd('WebDriver:Navigate', { url }, { timeoutMs: 30_000 });
  }

  async url() {
    return (await this.cmd('WebDriver:GetCurrentURL')).value;
  }

  async path() {
    return new URL(await this.url()).pathname;
  }

  async find(css) {
    const found = await this.cmd('WebDriver:FindElement', { using: 'css selector', value: css });
    return found.value[ELEMENT_KEY];
  }

  async click(css) {
    await this.cmd('WebDriver:ElementClick', { id: await this.find(css) });
  }

  async sendKeys(css, text) {
    await this.cmd('WebDriver:ElementSendKeys', { id: await this.find(css), text });
  }

  async text(css) {
    return (await this.cmd('WebDriver:GetElementText', { id: await this.find(css) })).value;
  }

  async attribute(css, name) {
    return (await this.cmd('WebDriver:GetElementAttribute', { id: await this.find(css), name })).value;
  }

  // Runs `script` (a function body; `arguments` holds args) in the page.
  async execute(script, args = []) {
    return (await this.cmd('WebDriver:ExecuteScript', { script, args })).value;
  }

  // Types `sequence` (characters and KEYS values) on the keyboard into
  // whatever has the focus, as keyDown/keyUp pairs.
  async typeKeys(sequence) {
    const actions = [];
    for (const key of sequence) actions.push({ type: 'keyDown', value: key }, { type: 'keyUp', value: key });
    await this.cmd('WebDriver:PerformActions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('WebDriver:ReleaseActions');
  }

  // Waits until the current URL's path is `pathname`.
  waitForPath(pathname, options) {
    return waitFor(`the page ${pathname}`, async () => (await this.path()) === pathname, options);
  }

  // Waits until the element's rendered text matches `pattern`; resolves to it.
  waitForText(css, pattern, options) {
    let last = null;
    return waitFor(`${css} to read ${pattern}`, async () => {
      last = await this.text(css);
      return pattern.test(last) ? last : null;
    }, options).catch((error) => {
      error.message += ` (text was ${JSON.stringify(last)})`;
      throw error;
    });
  }

  // Runs fn() with scripts in the browser's own (chrome) context, where
  // Services, gBrowser and the prompts are; back to the page afterwards.
  // Needs Firefox started with -remote-allow-system-access.
  async inChrome(fn) {
    await this.cmd('Marionette:SetContext', { value: 'chrome' });
    try {
      return await fn();
    } finally {
      await this.cmd('Marionette:SetContext', { value: 'content' });
    }
  }

  async end() {
    await this.cmd('WebDriver:DeleteSession');
  }
}

// Starts `binary` headless with Marionette on a port of its choosing, on the
// profile directory `profile` (created by the caller; `prefs` are written to
// its user.js). Resolves to { child, client, port, stop } once the greeting
// came; `stop()` asks Firefox to quit, then SIGTERM / SIGKILL its process
// group, and is safe to call more than once. stdout and stderr go to logFile.
export async function launchFirefox({ binary, profile, prefs = {}, env = {}, logFile, args = [], timeoutMs = 30_000 }) {
  const lines = Object.entries({ ...prefs, 'marionette.port': 0 })
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  fs.writeFileSync(path.join(profile, 'user.js'), `${lines.join('\n')}\n`);
  const portFile = path.join(profile, 'MarionetteActivePort');
  fs.rmSync(portFile, { force: true });
  const log = fs.openSync(logFile, 'a');
  // Its own process group, so stop() reaches the content processes too.
  const child = spawn(binary, ['--headless', '--marionette', '--no-remote', '-profile', profile, ...args, 'about:blank'],
    { stdio: ['ignore', log, log], env: { ...process.env, ...env }, detached: true });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal) => {
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  const killOnExit = () => killGroup('SIGKILL');
  process.on('exit', killOnExit);
  let client = null;
  let stopping = null;
  const stop = () => {
    stopping ??= (async () => {
      if (running() && client) {
        // A clean quit lets Firefox remove its lock files; then the group.
        await client.command('Marionette:Quit', { flags: ['eForceQuit'] }, { timeoutMs: 5_000 }).catch(() => {});
      }
      client?.close();
      const grace = (ms) => Promise.race([exited, new Promise((resolve) => setTimeout(resolve, ms))]);
      if (running()) {
        await grace(3_000);
      }
      if (running()) {
        killGroup('SIGTERM');
        await grace(5_000);
      }
      killGroup('SIGKILL');  // stragglers in the group, if any
      if (running()) await exited;
      process.off('exit', killOnExit);
    })();
    return stopping;
  };
  try {
    const port = await waitFor('Firefox to write MarionetteActivePort', () => {
      if (!running()) return -1;
      const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
      return /^\d+$/.test(text) ? Number(text) : null;
    }, { timeoutMs, intervalMs: 100 });
    if (port < 0) throw new Error(`Firefox exited (${child.exitCode ?? child.signalCode}) before Marionette listened; see ${logFile}`);
    client = await Marionette.connect(port, { timeoutMs: 10_000 });
    return { child, client, port, stop, exited };
  } catch (error) {
    await stop();
    throw error;
  }
}

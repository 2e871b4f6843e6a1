// The parts of the browser test that are not the browser: a throwaway CA and
// localhost certificate (openssl), a data directory made by the real
// `authd init`, the real `authd serve` on a loopback port, TOTP codes from
// oathtool, an HTTPS client that trusts only the test CA, and a cleanup list
// that runs on every exit path.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// ---- cleanup: everything started registers how to stop it ----------------

const cleanups = [];

export function onCleanup(fn) {
  cleanups.push(fn);
}

let cleaning = null;

// Runs the registered cleanups, newest first, each at most once. A call
// while a cleanup is running (a signal handler and the main path's finally,
// say) waits for that one instead of running later steps out of order.
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (error) {
        console.error(`# cleanup step failed: ${error?.message ?? error}`);
      }
    }
  })().finally(() => { cleaning = null; });
  return cleaning;
}

export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authd-browser-'));
  onCleanup(() => {
    if (process.env.AUTHD_KEEP_TEST_DIR) {
      console.error(`# test directory kept: ${dir}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return dir;
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

// ---- certificates ---------------------------------------------------------

// A CA valid for two days and a server certificate for DNS:localhost signed
// by it, all P-256. Returns the PEM paths.
export function makeCertificates(dir) {
  const file = (name) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-days', '2', '-subj', '/CN=authd browser test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'),
    '-subj', '/CN=localhost']);
  fs.writeFileSync(file('server.ext'), [
    'subjectAltName = DNS:localhost',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    '',
  ].join('\n'));
  run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'),
    '-CAkey', file('ca.key'), '-set_serial', `0x${Date.now().toString(16)}`, '-days', '2',
    '-sha256', '-extfile', file('server.ext'), '-out', file('server.pem')]);
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

// A new NSS database (cert9.db, key4.db) in the directory `db`, created if
// missing, that trusts `caPem` for TLS servers (trust flags C,,) and nothing
// else of its own. Firefox reads this from its profile directory.
export function trustCaInNssDb(db, caPem) {
  fs.mkdirSync(db, { recursive: true, mode: 0o700 });
  run('certutil', ['-d', `sql:${db}`, '-N', '--empty-password']);
  run('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'authd-test-ca', '-i', caPem]);
}

// The same under `home` (Chromium's per-user trust store on Linux,
// $HOME/.pki/nssdb). Only a browser started with HOME=home sees it.
export function trustCaForHome(home, caPem) {
  trustCaInNssDb(path.join(home, '.pki', 'nssdb'), caPem);
}

// ---- authd ----------------------------------------------------------------

// `authd init`: returns the bootstrap administrator ({username, password, otpauth_uri}).
export function authdInit(authd, dataDir) {
  const out = run(authd, ['init', '--data-dir', dataDir]);
  const admin = JSON.parse(out);
  for (const key of ['username', 'password', 'otpauth_uri']) {
    if (typeof admin[key] !== 'string') throw new Error(`authd init printed no ${key}: ${out}`);
  }
  return admin;
}

// Points authd.toml at the test certificate and names the WebAuthn relying
// party (rp_id localhost). Call once.
export function configureDaemon(dataDir, { cert, key }) {
  const configFile = path.join(dataDir, 'authd.toml');
  let config = fs.readFileSync(configFile, 'utf8');
  const replaceKey = (name, value) => {
    const pattern = new RegExp(`^${name} = .*$`, 'm');
    if (!pattern.test(config)) throw new Error(`authd.toml has no ${name} line`);
    config = config.replace(pattern, `${name} = ${JSON.stringify(value)}`);
  };
  replaceKey('certificate', cert);
  replaceKey('private_key', key);
  // `authd init` writes the [webauthn] table with both keys.
  replaceKey('rp_id', 'localhost');
  replaceKey('rp_name', 'authd');
  fs.writeFileSync(configFile, config);
}

// Writes policy.toml: fast Argon2id, a TOTP window of 2 steps and `origin`
// as the one origin a browser may report.
export function writePolicy(dataDir, { origin }) {
  const policy = [
    '# written by tests/browser',
    '[password]', 'argon2_memory_kib = 1024', 'argon2_iterations = 1',
    '[totp]', 'window_steps = 2',
  ];
  policy.push('[webauthn]', `origins = [${JSON.stringify(origin)}]`);
  fs.writeFileSync(path.join(dataDir, 'policy.toml'), `${policy.join('\n')}\n`);
}

// A port the kernel just handed out on 127.0.0.1 and released. The WebAuthn
// origin names the port, and the policy is read before authd listens, so the
// port is chosen first; startAuthd retries if another process takes it.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Starts `authd serve` on 127.0.0.1:port and waits for its announcement
// ("listening on 127.0.0.1:PORT"). stderr (the log) goes to logFile. The
// process is stopped (SIGTERM, then SIGKILL after 20 s) at cleanup, and
// killed outright if this process exits first.
export async function startAuthd(authd, dataDir, port, logFile) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(authd, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  const announced = new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    exited.then(({ code, signal }) => reject(new Error(
      `authd serve exited (${code ?? signal}) before listening; log: ${tail(logFile)}`)));
    setTimeout(() => reject(new Error('authd serve did not announce itself within 60 s')), 60_000).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const status = await exited;
    clearTimeout(timer);
    process.off('exit', killOnExit);
    return status;
  };
  onCleanup(stop);
  try {
    const address = await announced;
    return { child, address, stop, exited };
  } catch (error) {
    await stop();
    throw error;
  }
}

// Everything a browser test needs from authd, under `root`: certificates,
// `authd init` (the bootstrap administrator and a TOTP source for them),
// authd.toml and policy.toml, and `authd serve` on a free loopback port.
// The WebAuthn origin names the port, so the port is picked first; if
// another process grabs it in between, another is picked (three tries).
// Returns {dataDir, logFile, pki, admin, adminOtp, port, origin, api}, where
// api(method, target, options) is `request` against this authd.
export async function startTestAuthd(authd, root) {
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'authd.log');
  const pki = makeCertificates(root);
  const caPem = fs.readFileSync(pki.ca);
  const admin = authdInit(authd, dataDir);
  const adminOtp = new OtpSource(secretFromOtpauth(admin.otpauth_uri), 2);
  configureDaemon(dataDir, { cert: pki.cert, key: pki.key });
  let port;
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    writePolicy(dataDir, { origin: `https://localhost:${port}` });
    try {
      await startAuthd(authd, dataDir, port, logFile);
      break;
    } catch (error) {
      if (attempt === 3 || !/address|bind|in use/i.test(error.message)) throw error;
      console.log(`# authd did not start on port ${port}, trying another: ${error.message.split('\n')[0]}`);
    }
  }
  const origin = `https://localhost:${port}`;
  const api = (method, target, options) => request(port, caPem, method, target, options);
  console.log(`# authd at ${origin} (data ${dataDir})`);
  return { dataDir, logFile, pki, admin, adminOtp, port, origin, api };
}

export function tail(file, bytes = 3000) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '(no log)';
  }
}

// ---- HTTPS client trusting only the test CA --------------------------------

// One request to authd on 127.0.0.1:port, the certificate checked against
// `ca` for the name localhost. Resolves to {status, headers, body, json}.
export function request(port, ca, method, target, { body, bearer } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, method, path: target, headers, ca, servername: 'localhost',
      agent: false, timeout: 20_000,
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// ---- TOTP -----------------------------------------------------------------

const PERIOD = 30;

export function secretFromOtpauth(uri) {
  const secret = new URL(uri).searchParams.get('secret');
  if (!secret) throw new Error(`no secret in ${uri}`);
  return secret;
}

function currentStep() {
  return Math.floor(Date.now() / 1000 / PERIOD);
}

// Codes for one token from oathtool. A token accepts each step once and only
// steps after the last accepted one, so next() hands out rising steps inside
// the server's window (now - window .. now + window, keeping one step of
// margin at the bottom for the clock ticking over) and waits for a fresh
// 30-second step only when the window is used up.
export class OtpSource {
  constructor(secret, windowSteps) {
    this.secret = secret;
    this.window = windowSteps;
    this.lastStep = -1;
  }

  async next() {
    for (;;) {
      const now = currentStep();
      const step = Math.max(this.lastStep + 1, now + 1 - this.window);
      if (step <= now + this.window) {
        this.lastStep = step;
        const at = `@${step * PERIOD + PERIOD / 2}`;
        return run('oathtool', ['--totp', '-b', '--now', at, this.secret]).trim();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

// authd's web pages in real headless Chromium, end to end: TLS trusted through
// the browser profile's own NSS database (no certificate checks turned off),
// the bootstrap administrator's password + TOTP login typed on the keyboard,
// the one-time password changed, a security key (the DevTools virtual
// authenticator) registered on the page, a key login, the audit trail, and
// the refusal once the key is gone.
//
//   AUTHD_BIN=build/bin/authd node login_flow_test.mjs   (or: bash run.sh build/bin/authd)
//
// Environment: AUTHD_BIN (required), CHROMIUM (default /usr/bin/chromium),
// AUTHD_KEEP_TEST_DIR=1 keeps the temporary directory,
// AUTHD_BROWSER_SCREENSHOTS=DIR saves a screenshot of each page on the way.
//
// Prints "ok - STEP" / "not ok - STEP" per step and ends with
// "browser: N passed, N failed, N skipped"; exits non-zero on any failure.
// A failed step stops the run (later steps depend on it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  onCleanup, startTestAuthd, tail, tempDir, trustCaForHome,
} from './harness.mjs';
import { anyFailed, runSteps, step, StopRun } from './steps.mjs';

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const DEADLINE_MS = 110_000;
const STEP_TIMEOUT_MS = 15_000;

const authdBin = process.env.AUTHD_BIN;
const chromiumBin = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = process.env.AUTHD_BROWSER_SCREENSHOTS;

async function main() {
  if (!authdBin || !fs.existsSync(authdBin)) throw new StopRun(`AUTHD_BIN must name the authd binary (got "${authdBin ?? ''}")`);
  if (!fs.existsSync(chromiumBin)) throw new StopRun(`no Chromium at ${chromiumBin} (scripts/install-deps.sh installs Debian's chromium)`);

  const root = tempDir();
  const {
    logFile, pki, admin, adminOtp, origin, api,
  } = await startTestAuthd(authdBin, root);

  const browserHome = path.join(root, 'browser-home');
  trustCaForHome(browserHome, pki.ca);
  const browser = await chromium.launch({
    executablePath: chromiumBin,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
    env: { ...process.env, HOME: browserHome },
    timeout: 30_000,
  });
  onCleanup(() => browser.close());
  const context = await browser.newContext();
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });

  const shot = async (name) => {
    if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  };
  const text = (id) => page.locator(`#${id}`).innerText();
  const activeId = () => page.evaluate(() => document.activeElement?.id ?? '');
  const storedSession = () => page.evaluate(() => sessionStorage.getItem('authd.session'));
  const typeInto = async (label, value) => {
    await page.getByLabel(label, { exact: true }).click();
    await page.keyboard.type(value);
  };
  let password = admin.password;
  const keyUser = { username: 'keyholder', password: 'Initial secret for keyholder 9931', enrolmentCode: null };
  let session = null;
  let cdp = null;
  let authenticatorId = null;
  const addKey = async () => {
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: true,
        isUserVerified: true, automaticPresenceSimulation: true,
      },
    }));
  };
  const signInWithKey = async () => {
    await page.goto(`${origin}/ui/login.html`);
    await typeInto('Username', admin.username);
    await typeInto('Password', password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Use security key' }).click();
  };

  await step('authd serves the pages with their own CSP, and 404 for anything else', async () => {
    const root = await api('GET', '/');
    assert.equal(root.status, 303);
    assert.equal(root.headers.location, '/ui/login.html');
    const login = await api('GET', '/ui/login.html');
    assert.equal(login.status, 200);
    assert.equal(login.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(login.headers['content-security-policy'], PAGE_CSP);
    assert.match(login.body, /<label for="username">/);
    const script = await api('GET', '/ui/login.js');
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    const missing = await api('GET', '/ui/nothing.html');
    assert.equal(missing.status, 404);
    assert.equal(missing.json?.error, 'not_found');
    assert.equal(missing.headers['content-security-policy'], API_CSP);
    const health = await api('GET', '/healthz');
    assert.equal(health.headers['content-security-policy'], API_CSP);
  });

  await step('Chromium opens / over TLS it verifies (test CA in its own NSS db) and lands on the login page', async () => {
    const response = await page.goto(`${origin}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/login.html');
    assert.equal(response.status(), 200);
    assert.equal((await response.securityDetails())?.subjectName, 'localhost');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await activeId(), 'username');
  });

  await step('a Chromium without the test CA in its profile refuses the certificate', async () => {
    const strangerHome = path.join(root, 'stranger-home');
    fs.mkdirSync(strangerHome);
    const stranger = await chromium.launch({
      executablePath: chromiumBin,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
      env: { ...process.env, HOME: strangerHome },
      timeout: 30_000,
    });
    try {
      const other = await stranger.newPage();
      await assert.rejects(other.goto(`${origin}/ui/login.html`), /ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await stranger.close();
    }
  });

  await step('the administrator signs in with password and TOTP using only the keyboard', async () => {
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.locator('#second-step').waitFor({ state: 'visible' });
    await shot('login-second-step');
    assert.equal(await activeId(), 'otp');
    assert.equal(await text('who'), admin.username);
    await page.keyboard.type(await adminOtp.next());
    await page.keyboard.press('Enter');
    await page.waitForURL('**/ui/password.html');
    assert.match(await text('status'), /must choose a new password/);
    session = await storedSession();
    assert.ok(session, 'the session token is in sessionStorage');
    const gated = await api('GET', '/v1/session', { bearer: session });
    assert.equal(gated.json?.error, 'password_change_required');
  });

  await step('a mismatched confirmation is announced as an error, then the one-time password is changed', async () => {
    const replacement = 'Browser test admin passphrase 5173';
    await typeInto('Current password', password);
    await typeInto('New password', replacement);
    await typeInto('New password again', `${replacement}x`);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the same' }).waitFor();
    await shot('password-mismatch');
    assert.equal(await activeId(), 'confirm-password');
    await page.getByLabel('New password again', { exact: true }).fill('');
    await page.keyboard.type(replacement);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL('**/ui/session.html');
    password = replacement;
    await page.locator('#details').waitFor({ state: 'visible' });
    assert.equal(await text('status'), 'Your password has been changed.');
    await shot('session-totp');
    assert.match(await text('user'), new RegExp(`\\(${admin.username}\\)`));
    assert.notEqual(await text('organisation'), '');
    assert.notEqual(await text('roles'), 'none');
    assert.match(await page.locator('#expires').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
    assert.match(await page.locator('#idle').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
    assert.equal(await page.locator('#methods').getAttribute('data-methods'), 'pwd otp');
    assert.equal(await text('methods'), 'password and one-time code (authenticator app)');
  });

  await step('the administrator is issued a security key token (API)', async () => {
    const issued = await api('POST', `/v1/users/${encodeURIComponent(admin.username)}/tokens`,
      { body: { type: 'fido2' }, bearer: session });
    assert.equal(issued.status, 201, issued.body);
    assert.equal(issued.json.type, 'fido2');
    assert.ok(issued.json.enrolment_code, 'an enrolment code comes with the token');
  });

  await step('the virtual security key is registered on the register-key page', async () => {
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await addKey();
    await page.getByRole('link', { name: 'Register a security key' }).click();
    await page.waitForURL('**/ui/register-key.html');
    await page.getByRole('button', { name: 'Register security key' }).click();
    await page.locator('#status').filter({ hasText: 'Your security key is registered' }).waitFor();
    assert.match(await text('status'), /\bactive\b/);
    await shot('register-key-done');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, 'localhost');
  });

  await step('signing out ends the session on the server and in the tab', async () => {
    if (new URL(page.url()).pathname !== '/ui/session.html') {
      await page.getByRole('link', { name: 'Back to your account' }).click();
      await page.waitForURL('**/ui/session.html');
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/ui/login.html');
    assert.equal(await text('status'), 'You have signed out.');
    assert.equal(await storedSession(), null);
    const after = await api('GET', '/v1/session', { bearer: session });
    assert.equal(after.status, 401);
  });

  await step('the administrator signs in with the security key; the page shows hwk', async () => {
    await signInWithKey();
    await page.waitForURL('**/ui/session.html');
    await page.locator('#details').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#methods').getAttribute('data-methods'), 'pwd hwk');
    assert.equal(await text('methods'), 'password and security key');
    await shot('session-key');
    session = await storedSession();
    const info = await api('GET', '/v1/session', { bearer: session });
    assert.deepEqual(info.json.auth_methods, ['pwd', 'hwk']);
  });

  await step('the audit trail records the key login', async () => {
    // Reading the trail is itself audited, so read until a short page
    // rather than an empty one (there always is a newer entry).
    const entries = [];
    for (let after = 0, pages = 0; ; pages += 1) {
      assert.ok(pages < 20, 'the audit trail is far longer than this test made it');
      const listed = await api('GET', `/v1/audit?after=${after}&limit=1000`, { bearer: session });
      assert.equal(listed.status, 200, listed.body);
      entries.push(...listed.json.entries);
      if (listed.json.entries.length < 1000) break;
      after = listed.json.next_after;
    }
    const keyLogins = entries.filter((e) => e.action === 'login' && e.outcome === 'success'
      && e.subject === admin.username && e.detail?.methods === 'pwd hwk');
    assert.equal(keyLogins.length, 1, `key logins in the audit trail: ${JSON.stringify(keyLogins)}`);
  });

  await step('a new user whose only token is a security key is nominated, approved and issued it (API)', async () => {
    const daysAgo = (days) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const created = await api('POST', '/v1/users', {
      bearer: session,
      body: {
        username: keyUser.username, display_name: 'Key Holder', organisation: 'LA-001',
        roles: ['practitioner'], password: keyUser.password, email: 'keyholder@example.org',
        manager_name: 'Manager of keyholder', manager_email: 'manager.keyholder@example.org',
        conditions: {
          need: 'case work with children in the area', accredited_training_on: daysAgo(60),
          local_training_on: daysAgo(50), vetting_disclosure_on: daysAgo(200),
          vetting_basis: 'disclosure_seen',
        },
      },
    });
    assert.equal(created.status, 201, created.body);
    const approved = await api('POST', `/v1/users/${keyUser.username}/approve`, { bearer: session, body: {} });
    assert.equal(approved.status, 200, approved.body);
    const issued = await api('POST', `/v1/users/${keyUser.username}/tokens`,
      { body: { type: 'fido2' }, bearer: session });
    assert.equal(issued.status, 201, issued.body);
    keyUser.enrolmentCode = issued.json.enrolment_code;
    assert.ok(keyUser.enrolmentCode);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/ui/login.html');
  });

  await step('with the key removed, a key sign-in waits and can be cancelled from the keyboard', async () => {
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    await signInWithKey();
    await page.locator('#status').filter({ hasText: 'Waiting for your security key' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Cancelled.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/ui/login.html');
    assert.equal(await storedSession(), null);
  });

  await step('another (unregistered) key is refused with a clear message', async () => {
    await addKey();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page.getByRole('alert').filter({ hasText: 'not registered for this account' }).waitFor();
    await shot('login-key-refused');
    assert.equal(new URL(page.url()).pathname, '/ui/login.html');
    assert.equal(await storedSession(), null);
    assert.equal(await activeId(), 'use-key');
  });

  await step('the new user registers that other key on the enrolment page, without a session', async () => {
    await page.getByRole('link', { name: 'Set up a new security key with an enrolment code' }).click();
    await page.waitForURL('**/ui/enrol-key.html');
    await typeInto('Username', keyUser.username);
    await typeInto('Password', keyUser.password);
    await typeInto('Enrolment code', keyUser.enrolmentCode);
    await page.keyboard.press('Enter');
    await page.locator('#status').filter({ hasText: 'Your security key is registered' }).waitFor();
    await shot('enrol-key-done');
    assert.equal(await storedSession(), null);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
  });

  await step('the new user signs in with the key, must change the password, then sees hwk', async () => {
    await page.getByRole('link', { name: 'Back to sign in' }).click();
    await page.waitForURL('**/ui/login.html');
    await typeInto('Username', keyUser.username);
    await typeInto('Password', keyUser.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Use security key' }).click();
    await page.waitForURL('**/ui/password.html');
    const replacement = 'Key holder chose this passphrase 8080';
    await typeInto('Current password', keyUser.password);
    await typeInto('New password', replacement);
    await typeInto('New password again', replacement);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL('**/ui/session.html');
    await page.locator('#details').waitFor({ state: 'visible' });
    assert.match(await text('user'), /Key Holder \(keyholder\)/);
    assert.equal(await page.locator('#methods').getAttribute('data-methods'), 'pwd hwk');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/ui/login.html');
  });

  await step('without WebAuthn the pages say so plainly and disable the key buttons', async () => {
    const bare = await browser.newContext();
    bare.setDefaultTimeout(STEP_TIMEOUT_MS);
    await bare.addInitScript(() => { delete window.PublicKeyCredential; });
    const other = await bare.newPage();
    await other.goto(`${origin}/ui/login.html`);
    await other.getByLabel('Username', { exact: true }).fill('someone');
    await other.getByLabel('Password', { exact: true }).fill('something');
    await other.getByRole('button', { name: 'Continue' }).click();
    assert.match(await other.locator('#key-support').innerText(), /does not support security keys/);
    if (screenshotDir) await other.screenshot({ path: path.join(screenshotDir, 'login-no-webauthn.png'), fullPage: true });
    assert.equal(await other.getByRole('button', { name: 'Use security key' }).isDisabled(), true);
    await other.goto(`${origin}/ui/enrol-key.html`);
    await other.getByRole('alert').filter({ hasText: 'does not support security keys' }).waitFor();
    assert.equal(await other.getByRole('button', { name: 'Register security key' }).isDisabled(), true);
    await bare.close();
  });

  await step('no page error or Content-Security-Policy violation on any page', async () => {
    assert.deepEqual(problems, []);
  });

  if (anyFailed()) console.log(`# authd log (tail):\n# ${tail(logFile).split('\n').join('\n# ')}`);
}

await runSteps(main, { deadlineMs: DEADLINE_MS, stopping: 'authd and Chromium' });

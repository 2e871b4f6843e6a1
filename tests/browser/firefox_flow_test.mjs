// authd's web pages in real headless Firefox (Debian's firefox-esr), end to
// end, driven through Firefox's own Marionette protocol (marionette.mjs; no
// geckodriver, no playwright): TLS trusted through the profile's own NSS
// database (no certificate checks turned off), and refused by a profile
// without the test CA; the bootstrap administrator's password + TOTP login
// typed on the keyboard; the one-time password changed; a security key (the
// Marionette virtual authenticator) registered on the page; sign-out; a key
// login; the refusal of a key that is not registered; and no CSP violation
// or script error on the way.
//
//   AUTHD_BIN=build/bin/authd node firefox_flow_test.mjs   (or: bash run.sh --firefox build/bin/authd)
//
// Environment: AUTHD_BIN (required), FIREFOX (default /usr/bin/firefox-esr),
// AUTHD_KEEP_TEST_DIR=1 keeps the temporary directory (with firefox.log).
//
// Prints "ok - STEP" / "not ok - STEP" per step and ends with
// "browser: N passed, N failed, N skipped"; exits non-zero on any failure.
// A failed step stops the run (later steps depend on it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  onCleanup, startTestAuthd, tail, tempDir, trustCaInNssDb,
} from './harness.mjs';
import { anyFailed, runSteps, step, StopRun } from './steps.mjs';
import { KEYS, launchFirefox, MarionetteError, Session, waitFor } from './marionette.mjs';

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const DEADLINE_MS = 90_000;

const authdBin = process.env.AUTHD_BIN;
const firefoxBin = process.env.FIREFOX || '/usr/bin/firefox-esr';

// Prefs for a quiet, deterministic test profile: no update or add-on checks,
// no telemetry or studies, no first-run or what's-new pages, no remote
// settings, Safe Browsing, captive-portal or connectivity probes, no
// prefetching; nothing that would reach the internet or change the pages'
// behaviour from run to run. No saved logins (they would autofill the
// second sign-in). Marionette adds its own recommended prefs on top.
const PREFS = {
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'browser.backup.enabled': false,
  'browser.backup.scheduled.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'startup.homepage_welcome_url': 'about:blank',
  'startup.homepage_welcome_url.additional': '',
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.default.sites': '',
  'browser.discovery.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.search.update': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'services.settings.server': 'data:,#remote-settings-disabled',
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'geo.provider.network.url': '',
  'signon.rememberSignons': false,
  'signon.autofillForms': false,
  'security.webauth.webauthn_enable_softtoken': true,
  'security.webauth.webauthn_enable_usbtoken': false,
};

// MOZ_CRASHREPORTER_DISABLE: no crash reporter window or minidumps if
// Firefox falls over in the container; a failed step reports it instead.
// HOME is the test directory, so Firefox (running as root here) writes
// nothing under /root (~/.mozilla, ~/.cache) and reads no per-user
// configuration. Nothing else is needed here: headless mode renders in
// software (no GPU), and the content sandbox starts as root in this
// container, so it is left on.
const firefoxEnv = (home) => ({ HOME: home, MOZ_CRASHREPORTER_DISABLE: '1' });

// "-remote-allow-system-access" lets the test read Firefox's console
// service (chrome context) for the CSP check; see consoleProblems.
const FIREFOX_ARGS = ['-remote-allow-system-access'];

// A Firefox on a new profile directory `profile` (its NSS db already set
// up, or not), with a WebDriver session; stopped at cleanup.
async function startFirefox(root, name, logFile) {
  const profile = path.join(root, name);
  fs.mkdirSync(profile, { recursive: true });
  const firefox = await launchFirefox({
    binary: firefoxBin, profile, prefs: PREFS, env: firefoxEnv(root), logFile, args: FIREFOX_ARGS,
  });
  onCleanup(firefox.stop);
  const session = await Session.start(firefox.client);
  return { firefox, session };
}

// Console messages that are problems: every Content-Security-Policy report
// and every script error from a page of `origin`, logged at or after
// `since` (ms since the epoch). Read from the parent process's console
// service, which collects the content processes' messages too.
//
// Why this and not a `securitypolicyviolation` listener added through
// ExecuteScript: Marionette has no "run before the page's scripts" hook, so
// a listener added after each navigation misses whatever the page does while
// it loads (its module scripts, stylesheet, the first render), which is
// exactly where a CSP mistake would show; and it sees no script errors. The
// console service keeps everything from browser start-up on.
async function consoleProblems(session, origin, since) {
  return session.inChrome(() => session.execute(`
      const [origin, since] = arguments;
      const problems = [];
      for (const message of Services.console.getMessageArray() ?? []) {
        if (!(message instanceof Ci.nsIScriptError) || message.timeStamp < since) continue;
        const csp = /CSP|Content.Security.Policy/i.test(message.category + ' ' + message.errorMessage);
        const fromPage = (message.sourceName ?? '').startsWith(origin);
        const isError = (message.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)) === 0;
        if (csp || (fromPage && isError)) {
          problems.push(message.category + ': ' + message.errorMessage + ' (' + message.sourceName + ')');
        }
      }
      return problems;`, [origin, since]));
}

// The certificate Firefox validated for the page in the selected tab.
async function serverCertificate(session) {
  return session.inChrome(() => session.execute(`
      const info = gBrowser.selectedBrowser.securityUI.secInfo;
      const cert = info?.serverCert;
      return cert ? { subject: cert.commonName, issuer: cert.issuerCommonName } : null;`));
}

// Answers Firefox's "requesting extended information about your security
// key" doorhanger (shown when a site asks for direct attestation) by pressing
// its Allow or Block button; resolves once pressed, to which one it was.
async function answerAttestationPrompt(session, choice) {
  const id = 'webauthn-prompt-register-direct';
  return session.inChrome(() => waitFor('Firefox\'s direct-attestation prompt', () => session.execute(`
      const [id, choice] = arguments;
      const element = document.getElementById(id + '-notification');
      if (!element || !PopupNotifications.getNotification(id, gBrowser.selectedBrowser)) return null;
      (choice === 'allow' ? element.button : element.secondaryButton).click();
      return choice;`, [id, choice])));
}

async function main() {
  if (!authdBin || !fs.existsSync(authdBin)) throw new StopRun(`AUTHD_BIN must name the authd binary (got "${authdBin ?? ''}")`);
  if (!fs.existsSync(firefoxBin)) throw new StopRun(`no Firefox at ${firefoxBin} (scripts/install-deps.sh installs Debian's firefox-esr)`);

  const root = tempDir();
  const firefoxLog = path.join(root, 'firefox.log');
  const {
    logFile, pki, admin, adminOtp, origin, api,
  } = await startTestAuthd(authdBin, root);

  // The profile's own NSS database (cert9.db) trusts the test CA.
  trustCaInNssDb(path.join(root, 'profile'), pki.ca);
  const since = Date.now();
  const { session: ff } = await startFirefox(root, 'profile', firefoxLog);
  console.log(`# ${ff.capabilities.browserName} ${ff.capabilities.browserVersion}, profile ${ff.capabilities['moz:profile']}`);

  const activeId = () => ff.execute('return document.activeElement?.id ?? "";');
  const storedSession = () => ff.execute('return sessionStorage.getItem("authd.session");');
  const shown = (id) => waitFor(`#${id} to be shown`,
    () => ff.execute('const e = document.getElementById(arguments[0]); return !!e && !e.hidden;', [id]));
  let password = admin.password;
  let session = null;
  let authenticatorId = null;
  const addKey = async () => {
    ({ value: authenticatorId } = await ff.cmd('WebAuthn:AddVirtualAuthenticator', {
      protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: true,
      isUserConsenting: true, isUserVerified: true,
    }));
    assert.equal(typeof authenticatorId, 'string');
  };
  const credentials = async () => (await ff.cmd('WebAuthn:GetCredentials', { authenticatorId })).value;
  const signOut = async () => {
    await ff.click('#logout');
    await ff.waitForPath('/ui/login.html');
  };
  const startKeySignIn = async () => {
    await ff.navigate(`${origin}/ui/login.html`);
    await ff.sendKeys('#username', admin.username);
    await ff.sendKeys('#password', password);
    await ff.click('#continue');
    await shown('second-step');
    await ff.click('#use-key');
  };

  await step('authd serves the pages with their CSP', async () => {
    const login = await api('GET', '/ui/login.html');
    assert.equal(login.status, 200);
    assert.equal(login.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(login.headers['content-security-policy'], PAGE_CSP);
    const script = await api('GET', '/ui/login.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  });

  await step('Firefox opens / over TLS it verifies (test CA in the profile\'s NSS db) and lands on the login page', async () => {
    await ff.navigate(`${origin}/`);
    assert.equal(await ff.path(), '/ui/login.html');
    assert.equal(await ff.execute('return window.isSecureContext;'), true);
    assert.deepEqual(await serverCertificate(ff),
      { subject: 'localhost', issuer: 'authd browser test CA' });
    assert.equal(await ff.text('#heading'), 'Sign in');
    await waitFor('the username field to have the focus', async () => (await activeId()) === 'username');
  });

  await step('a Firefox whose profile lacks the test CA refuses the certificate', async () => {
    const { firefox, session: other } = await startFirefox(root, 'stranger-profile', firefoxLog);
    try {
      await assert.rejects(other.navigate(`${origin}/ui/login.html`), (error) => {
        assert.ok(error instanceof MarionetteError, String(error));
        assert.equal(error.error, 'insecure certificate', error.message);
        return true;
      });
    } finally {
      await firefox.stop();
    }
  });

  await step('the administrator signs in with password and TOTP using only the keyboard', async () => {
    await ff.typeKeys([...admin.username, KEYS.tab, ...password, KEYS.enter]);
    await shown('second-step');
    assert.equal(await activeId(), 'otp');
    assert.equal(await ff.text('#who'), admin.username);
    await ff.typeKeys([...await adminOtp.next(), KEYS.enter]);
    await ff.waitForPath('/ui/password.html');
    await ff.waitForText('#status', /must choose a new password/);
    session = await storedSession();
    assert.ok(session, 'the session token is in sessionStorage');
    const gated = await api('GET', '/v1/session', { bearer: session });
    assert.equal(gated.json?.error, 'password_change_required');
  });

  await step('the one-time password is changed; the session page shows pwd otp', async () => {
    const replacement = 'Firefox test admin passphrase 6421';
    await waitFor('the current-password field to have the focus', async () => (await activeId()) === 'current-password');
    await ff.sendKeys('#current-password', password);
    await ff.sendKeys('#new-password', replacement);
    await ff.sendKeys('#confirm-password', replacement);
    await ff.click('#change');
    await ff.waitForPath('/ui/session.html');
    password = replacement;
    await shown('details');
    assert.equal(await ff.text('#status'), 'Your password has been changed.');
    assert.match(await ff.text('#user'), new RegExp(`\\(${admin.username}\\)`));
    assert.match(await ff.attribute('#expires', 'datetime'), /^\d{4}-\d\d-\d\dT/);
    assert.equal(await ff.attribute('#methods', 'data-methods'), 'pwd otp');
    assert.equal(await ff.text('#methods'), 'password and one-time code (authenticator app)');
  });

  await step('the administrator is issued a security key token (API)', async () => {
    const issued = await api('POST', `/v1/users/${encodeURIComponent(admin.username)}/tokens`,
      { body: { type: 'fido2' }, bearer: session });
    assert.equal(issued.status, 201, issued.body);
    assert.equal(issued.json.type, 'fido2');
  });

  await step('a key whose make and model the user withholds (Block) is refused with advice', async () => {
    await addKey();
    await ff.click('a[href="register-key.html"]');
    await ff.waitForPath('/ui/register-key.html');
    await ff.waitForText('#support', /can use security keys/);
    await ff.click('#register');
    // authd asks for direct attestation, so Firefox asks the user whether
    // to share the key's make and model. Block makes the attestation "none",
    // which the default policy (packed, fido-u2f) refuses.
    assert.equal(await answerAttestationPrompt(ff, 'block'), 'block');
    await ff.waitForText('#error', /choose Allow and try again/);
    assert.equal(await ff.text('#status'), '');
    const user = await api('GET', `/v1/users/${encodeURIComponent(admin.username)}`, { bearer: session });
    assert.equal(user.status, 200, user.body);
    const keys = user.json.tokens.filter((t) => t.type === 'fido2');
    assert.deepEqual(keys.map((t) => t.state), ['issued'], JSON.stringify(keys));
  });

  await step('the virtual security key is registered on the register-key page (Allow)', async () => {
    const before = (await credentials()).length;
    await ff.click('#register');
    assert.equal(await answerAttestationPrompt(ff, 'allow'), 'allow');
    const status = await ff.waitForText('#status', /Your security key is registered/).catch(async (error) => {
      error.message += `; #error reads ${JSON.stringify(await ff.text('#error'))}`;
      throw error;
    });
    assert.match(status, /\bactive\b/);
    assert.equal(await ff.text('#error'), '');
    const stored = await credentials();
    assert.equal(stored.length, before + 1, JSON.stringify(stored));
    assert.ok(stored.every((c) => c.rpId === 'localhost'), JSON.stringify(stored));
  });

  await step('signing out ends the session on the server and in the tab', async () => {
    await ff.click('a[href="session.html"]');
    await ff.waitForPath('/ui/session.html');
    await shown('details');
    await signOut();
    assert.equal(await ff.text('#status'), 'You have signed out.');
    assert.equal(await storedSession(), null);
    const after = await api('GET', '/v1/session', { bearer: session });
    assert.equal(after.status, 401);
  });

  await step('the administrator signs in with the security key; the page shows hwk', async () => {
    await startKeySignIn();
    await ff.waitForPath('/ui/session.html');
    await shown('details');
    assert.equal(await ff.attribute('#methods', 'data-methods'), 'pwd hwk');
    assert.equal(await ff.text('#methods'), 'password and security key');
    session = await storedSession();
    const info = await api('GET', '/v1/session', { bearer: session });
    assert.deepEqual(info.json.auth_methods, ['pwd', 'hwk']);
  });

  await step('with the key removed, another (unregistered) key is refused with a clear message', async () => {
    await signOut();
    await ff.cmd('WebAuthn:RemoveVirtualAuthenticator', { authenticatorId });
    await addKey();
    assert.deepEqual(await credentials(), []);
    await startKeySignIn();
    await ff.waitForText('#error', /not registered for this account/);
    assert.equal(await ff.path(), '/ui/login.html');
    assert.equal(await storedSession(), null);
    assert.equal(await activeId(), 'use-key');
  });

  await step('no Content-Security-Policy violation or script error on any page', async () => {
    assert.deepEqual(await consoleProblems(ff, origin, since), []);
  });

  await step('the console check does see a violation (an inline script injected on the page)', async () => {
    const before = Date.now();
    await ff.execute(`
      const script = document.createElement('script');
      script.textContent = 'window.authdInlineRan = true;';
      document.head.append(script);`);
    const problems = await waitFor('the CSP report in the console', async () => {
      const found = await consoleProblems(ff, origin, before);
      return found.length > 0 ? found : null;
    }, { timeoutMs: 5_000 });
    assert.match(problems.join('\n'), /script-src/);
    assert.equal(await ff.execute('return window.authdInlineRan ?? null;'), null);
  });

  if (anyFailed()) {
    console.log(`# authd log (tail):\n# ${tail(logFile).split('\n').join('\n# ')}`);
    console.log(`# Firefox log (tail):\n# ${tail(firefoxLog).split('\n').join('\n# ')}`);
  }
}

await runSteps(main, { deadlineMs: DEADLINE_MS, stopping: 'authd and Firefox' });

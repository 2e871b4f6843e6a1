// Sign in: username and password first, then a TOTP code (POST /v1/login) or
// a security key (POST /v1/login/begin, the browser's WebAuthn get, POST
// /v1/login/finish). The password stays in this page's memory between the
// two steps and is dropped once the server has answered.
import {
  $, api, describeApiError, say, setBusy, setSession, setNotice, takeNotice,
} from './common.js';
import {
  webauthnSupport, getAssertion, isWebauthnError, describeWebauthnError,
} from './webauthn.js';

const credentialsForm = $('credentials-form');
const secondStep = $('second-step');
const errorRegion = $('error');
const statusRegion = $('status');
let pending = null;  // { username, password } between the steps
let keyAbort = null;

function showError(text) {
  say(statusRegion, '');
  say(errorRegion, text);
}

function signedIn(grant) {
  pending = null;
  setSession(grant.session);
  if (grant.must_change_password) {
    setNotice('Signed in. You must choose a new password before you can continue.');
    location.assign('password.html');
  } else {
    location.assign('session.html');
  }
}

function showFirstStep() {
  pending = null;
  secondStep.hidden = true;
  credentialsForm.hidden = false;
  $('password').value = '';
  $('otp').value = '';
  $('username').focus();
}

credentialsForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    showError('Enter your username and password.');
    (username ? $('password') : $('username')).focus();
    return;
  }
  say(errorRegion, '');
  pending = { username, password };
  $('who').textContent = username;
  credentialsForm.hidden = true;
  secondStep.hidden = false;
  $('otp').focus();
});

$('back').addEventListener('click', () => {
  say(errorRegion, '');
  showFirstStep();
});

$('code-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const otp = $('otp').value.replace(/\s+/g, '');
  if (!/^[0-9]{6,8}$/.test(otp)) {
    showError('Enter the 6-digit code from your authenticator app.');
    $('otp').focus();
    return;
  }
  setBusy(secondStep, true);
  say(statusRegion, 'Signing in…');
  try {
    const grant = await api('POST', '/v1/login',
      { username: pending.username, password: pending.password, otp }, { auth: false });
    say(statusRegion, 'Signed in.');
    signedIn(grant);
  } catch (error) {
    showError(describeApiError(error, {
      invalid_credentials: 'The username, password or code was not accepted. Check them and try again (a code can be used only once).',
    }));
    $('otp').value = '';
    setBusy(secondStep, false);
    $('otp').focus();
  }
});

const support = webauthnSupport();
if (!support.ok) {
  $('use-key').disabled = true;
  $('key-support').textContent = support.reason;
} else {
  $('key-support').textContent = 'Have your security key ready: you may need to touch it.';
}

$('cancel-key').addEventListener('click', () => keyAbort?.abort());

$('use-key').addEventListener('click', async () => {
  if (!support.ok) return;
  setBusy(secondStep, true);
  keyAbort = new AbortController();
  $('cancel-key').hidden = false;
  $('cancel-key').disabled = false;
  say(errorRegion, '');
  say(statusRegion, 'Waiting for your security key… Touch it if it flashes.');
  try {
    const begun = await api('POST', '/v1/login/begin',
      { username: pending.username, password: pending.password }, { auth: false });
    const credential = await getAssertion(begun.publicKey, keyAbort.signal);
    say(statusRegion, 'Checking your security key…');
    const grant = await api('POST', '/v1/login/finish',
      { transaction: begun.transaction, credential }, { auth: false });
    say(statusRegion, 'Signed in.');
    signedIn(grant);
  } catch (error) {
    showError(isWebauthnError(error)
      ? describeWebauthnError(error, 'login')
      : describeApiError(error, {
        invalid_credentials: 'Sign-in with the security key was refused: the username, password or security key was not accepted.',
      }));
    $('cancel-key').hidden = true;
    setBusy(secondStep, false);
    $('use-key').focus();
  } finally {
    keyAbort = null;
  }
});

const notice = takeNotice();
if (notice) say(statusRegion, notice);
$('username').focus();

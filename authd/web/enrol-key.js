// Enrolment without a session, for a user whose only token is a security
// key: username, password and the enrolment code from the administrator go
// to POST /v1/webauthn/register/begin, then the browser's WebAuthn create and
// POST /v1/webauthn/register/finish.
import { $, api, describeApiError, say, setBusy } from './common.js';
import {
  webauthnSupport, createCredential, isWebauthnError, describeWebauthnError,
} from './webauthn.js';

const form = $('enrol-form');
let abort = null;

const support = webauthnSupport();
if (!support.ok) {
  $('enrol').disabled = true;
  say($('error'), support.reason);
}

$('cancel').addEventListener('click', () => abort?.abort());

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!support.ok) return;
  const username = $('username').value.trim();
  const password = $('password').value;
  const code = $('enrolment-code').value.trim();
  if (!username || !password || !code) {
    say($('error'), 'Enter your username, password and enrolment code.');
    (!username ? $('username') : !password ? $('password') : $('enrolment-code')).focus();
    return;
  }
  setBusy(form, true);
  abort = new AbortController();
  $('cancel').hidden = false;
  $('cancel').disabled = false;
  say($('error'), '');
  say($('status'), 'Waiting for your security key… Touch it if it flashes.');
  try {
    const begun = await api('POST', '/v1/webauthn/register/begin',
      { username, password, enrolment_code: code }, { auth: false });
    const credential = await createCredential(begun.publicKey, abort.signal);
    say($('status'), 'Checking your security key…');
    await api('POST', '/v1/webauthn/register/finish',
      { transaction: begun.transaction, credential }, { auth: false });
    form.reset();
    form.hidden = true;
    say($('status'), 'Your security key is registered. You can now sign in with your username, password and the key.');
  } catch (error) {
    say($('status'), '');
    say($('error'), isWebauthnError(error)
      ? describeWebauthnError(error, 'register')
      : describeApiError(error, {
        invalid_credentials: 'The username, password or enrolment code was not accepted.',
      }));
    $('password').value = '';
  } finally {
    abort = null;
    $('cancel').hidden = true;
    setBusy(form, false);
  }
});

$('username').focus();

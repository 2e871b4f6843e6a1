// Registers a security key for the signed-in user against the fido2 token an
// administrator issued them: POST /v1/webauthn/register/begin {} with the
// session, the browser's WebAuthn create, POST /v1/webauthn/register/finish.
import {
  $, api, describeApiError, requireSession, say, setBusy,
} from './common.js';
import {
  webauthnSupport, createCredential, isWebauthnError, describeWebauthnError,
} from './webauthn.js';

const controls = $('controls');
let abort = null;

const support = webauthnSupport();
if (!support.ok) {
  $('register').disabled = true;
  say($('error'), support.reason);
}

$('cancel').addEventListener('click', () => abort?.abort());

$('register').addEventListener('click', async () => {
  setBusy(controls, true);
  abort = new AbortController();
  $('cancel').hidden = false;
  $('cancel').disabled = false;
  say($('error'), '');
  say($('status'), 'Waiting for your security key… Touch it if it flashes.');
  try {
    const begun = await api('POST', '/v1/webauthn/register/begin', {});
    const credential = await createCredential(begun.publicKey, abort.signal);
    say($('status'), 'Checking your security key…');
    const token = await api('POST', '/v1/webauthn/register/finish',
      { transaction: begun.transaction, credential });
    say($('status'), `Your security key is registered (token ${token.token_id}, ${token.state}). You can use it the next time you sign in.`);
    $('register').hidden = true;
  } catch (error) {
    say($('status'), '');
    say($('error'), isWebauthnError(error)
      ? describeWebauthnError(error, 'register')
      : describeApiError(error));
  } finally {
    abort = null;
    $('cancel').hidden = true;
    setBusy(controls, false);
  }
});

try {
  const info = await requireSession();
  if (info) {
    $('intro').textContent = `For ${info.display_name || info.username}. ${$('intro').textContent}`;
    if (support.ok) $('support').textContent = 'This browser can use security keys.';
  }
} catch (error) {
  say($('error'), describeApiError(error));
}

// Registering a security key, as both the register-key page (signed in) and
// the enrol-key page (username, password and enrolment code) do it: authd's
// creation options, the browser's WebAuthn create (cancellable), the
// credential sent back, and any failure described in words a user can act on.
import { api, describeApiError, say, setBusy } from './common.js';
import { createCredential, describeWebauthnError, isWebauthnError } from './webauthn.js';

// authd refused the key's response (it names the field `credential`). With
// the default policy the usual cause is a browser that was told not to share
// the key's make and model (Firefox asks), which turns the attestation into
// "none".
const REFUSED_KEY = 'This security key was not accepted. If the browser asked whether to share '
  + 'the key\'s make and model, choose Allow and try again; otherwise ask your administrator '
  + 'which security keys this service accepts.';

// Runs one registration. `controls` is disabled meanwhile except `cancel`,
// which is shown and aborts the browser's prompt; `status` and `error` are
// the page's message regions; `beginBody` goes to register/begin; `auth`:
// whether to send the session; `apiErrors` maps API error codes to the
// page's own wording. Resolves to the token authd returns, or null after a
// failure it has already announced in `error`.
export async function registerSecurityKey({
  controls, cancel, status, error, beginBody, auth = true, apiErrors = {},
}) {
  const abort = new AbortController();
  const onCancel = () => abort.abort();
  cancel.addEventListener('click', onCancel);
  setBusy(controls, true);
  cancel.hidden = false;
  cancel.disabled = false;
  say(error, '');
  say(status, 'Waiting for your security key… Touch it if it flashes.');
  try {
    const begun = await api('POST', '/v1/webauthn/register/begin', beginBody, { auth });
    const credential = await createCredential(begun.publicKey, abort.signal);
    say(status, 'Checking your security key…');
    return await api('POST', '/v1/webauthn/register/finish',
      { transaction: begun.transaction, credential }, { auth });
  } catch (failure) {
    say(status, '');
    if (isWebauthnError(failure)) {
      say(error, describeWebauthnError(failure, 'register'));
    } else if (failure?.code === 'bad_request' && failure.field === 'credential') {
      say(error, REFUSED_KEY);
    } else {
      say(error, describeApiError(failure, apiErrors));
    }
    return null;
  } finally {
    cancel.removeEventListener('click', onCancel);
    cancel.hidden = true;
    setBusy(controls, false);
  }
}

// Enrolment without a session, for a user whose only token is a security
// key: username, password and the enrolment code from the administrator go
// to register/begin (see key-registration.js).
import { $, say } from './common.js';
import { registerSecurityKey } from './key-registration.js';
import { webauthnSupport } from './webauthn.js';

const form = $('enrol-form');

const support = webauthnSupport();
if (!support.ok) {
  $('enrol').disabled = true;
  say($('error'), support.reason);
}

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
  const token = await registerSecurityKey({
    controls: form, cancel: $('cancel'), status: $('status'), error: $('error'),
    beginBody: { username, password, enrolment_code: code },
    auth: false,
    apiErrors: { invalid_credentials: 'The username, password or enrolment code was not accepted.' },
  });
  if (!token) {
    $('password').value = '';
    return;
  }
  form.reset();
  form.hidden = true;
  say($('status'), 'Your security key is registered. You can now sign in with your username, password and the key.');
});

$('username').focus();

// Registers a security key for the signed-in user against the fido2 token an
// administrator issued them (register/begin with the session; see
// key-registration.js).
import { $, describeApiError, requireSession, say } from './common.js';
import { registerSecurityKey } from './key-registration.js';
import { webauthnSupport } from './webauthn.js';

const support = webauthnSupport();
if (!support.ok) {
  $('register').disabled = true;
  say($('error'), support.reason);
}

$('register').addEventListener('click', async () => {
  const token = await registerSecurityKey({
    controls: $('controls'), cancel: $('cancel'), status: $('status'), error: $('error'),
    beginBody: {},
  });
  if (!token) return;
  say($('status'), `Your security key is registered (token ${token.token_id}, ${token.state}). You can use it the next time you sign in.`);
  $('register').hidden = true;
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

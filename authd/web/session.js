// The signed-in page: who the session belongs to, how it was authenticated
// and when it ends (GET /v1/session), and sign-out (POST /v1/logout).
import {
  $, ApiError, api, backToLogin, describeApiError, requireSession, say, setBusy, takeNotice,
} from './common.js';

// RFC 8176 authentication method references as authd reports them.
const METHOD_NAMES = {
  pwd: 'password',
  otp: 'one-time code (authenticator app)',
  hwk: 'security key',
};

function showTime(element, iso) {
  element.dateTime = iso;
  const at = new Date(iso);
  const minutes = Math.round((at.getTime() - Date.now()) / 60000);
  let relative = '';
  if (minutes > 90) relative = ` (in about ${Math.round(minutes / 60)} hours)`;
  else if (minutes > 0) relative = ` (in about ${minutes} min)`;
  else if (minutes === 0) relative = ' (now)';
  element.textContent = `${at.toLocaleString()}${relative}`;
}

function render(info) {
  $('user').textContent = info.display_name ? `${info.display_name} (${info.username})` : info.username;
  $('organisation').textContent = info.organisation || '—';
  $('roles').textContent = info.roles?.length ? info.roles.join(', ') : 'none';
  const methods = info.auth_methods ?? [];
  $('methods').dataset.methods = methods.join(' ');
  $('methods').textContent = methods.length
    ? methods.map((m) => METHOD_NAMES[m] ?? m).join(' and ')
    : 'not reported by the server';
  showTime($('created'), info.created_at);
  showTime($('expires'), info.expires_at);
  showTime($('idle'), info.idle_expires_at);
  $('details').hidden = false;
}

$('logout').addEventListener('click', async () => {
  setBusy(document.querySelector('main'), true);
  try {
    await api('POST', '/v1/logout');
  } catch (error) {
    // An ended session is as good as signed out; anything else is reported.
    if (!(error instanceof ApiError && error.code === 'invalid_session')) {
      setBusy(document.querySelector('main'), false);
      say($('error'), `Signing out failed: ${describeApiError(error)}`);
      return;
    }
  }
  backToLogin('You have signed out.');
});

const notice = takeNotice();
if (notice) say($('status'), notice);
try {
  const info = await requireSession();
  if (info) {
    render(info);
    $('heading').focus();
  }
} catch (error) {
  say($('error'), describeApiError(error));
}

// Change the password (POST /v1/password). A session from a one-time
// password may do only this and sign out, so this page never asks for the
// session's details first.
import {
  $, ApiError, api, backToLogin, describeApiError, say, session, setBusy, setNotice, takeNotice,
} from './common.js';

const form = $('password-form');
const errorRegion = $('error');
const statusRegion = $('status');

function showError(text, focus) {
  say(statusRegion, '');
  say(errorRegion, text);
  focus?.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const current = $('current-password').value;
  const replacement = $('new-password').value;
  if (!current || !replacement) {
    showError('Enter your current password and a new one.', current ? $('new-password') : $('current-password'));
    return;
  }
  if (replacement !== $('confirm-password').value) {
    showError('The two new passwords are not the same.', $('confirm-password'));
    return;
  }
  say(errorRegion, '');
  setBusy(form, true);
  say(statusRegion, 'Changing your password…');
  try {
    await api('POST', '/v1/password', { current_password: current, new_password: replacement });
    form.reset();
    setNotice('Your password has been changed.');
    location.assign('session.html');
  } catch (error) {
    setBusy(form, false);
    if (error instanceof ApiError && error.code === 'invalid_session') {
      backToLogin('Your session has ended. Please sign in again.');
      return;
    }
    const wrongCurrent = error instanceof ApiError && error.code === 'invalid_credentials';
    showError(describeApiError(error, {
      invalid_credentials: 'Your current password is not right.',
    }), wrongCurrent ? $('current-password') : $('new-password'));
  }
});

if (!session()) {
  backToLogin('Please sign in first.');
} else {
  const notice = takeNotice();
  if (notice) say(statusRegion, notice);
  $('current-password').focus();
}

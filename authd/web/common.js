// Shared by every page: calls to the authd API, the session token (kept in
// sessionStorage, so it dies with the tab), messages between pages, and the
// error and status regions.

const SESSION_KEY = 'authd.session';
const NOTICE_KEY = 'authd.notice';

export function session() {
  return sessionStorage.getItem(SESSION_KEY);
}

export function setSession(token) {
  sessionStorage.setItem(SESSION_KEY, token);
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

// A message for the next page to show (e.g. "You have signed out").
export function setNotice(text) {
  sessionStorage.setItem(NOTICE_KEY, text);
}

export function takeNotice() {
  const text = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return text;
}

export class ApiError extends Error {
  // `field`: with bad_request, the request member at fault (or undefined).
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// Calls the API on this origin. Resolves to the parsed JSON body (null for
// 204); rejects with an ApiError carrying the server's error code, or code
// "network" when the server could not be reached.
export async function api(method, path, body, { auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const token = auth ? session() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error ?? 'unknown',
      data?.message ?? `The server answered with status ${response.status}.`, data?.field);
  }
  return data;
}

// Plain-language text for an API error; `overrides` maps error codes to a
// page's own wording.
export function describeApiError(error, overrides = {}) {
  if (!(error instanceof ApiError)) return `Something went wrong: ${error?.message ?? error}`;
  if (overrides[error.code]) return overrides[error.code];
  switch (error.code) {
    case 'invalid_credentials':
      return 'Those details were not accepted. Check them and try again.';
    case 'too_many_attempts':
      return 'Too many attempts. Wait a few minutes before trying again.';
    case 'invalid_session':
      return 'Your session has ended. Please sign in again.';
    case 'internal':
    case 'unavailable':
      return 'The service is not working properly at the moment. Please try again later.';
    default:
      return error.message;
  }
}

// Puts `text` into a message region (role="alert" or role="status"): screen
// readers announce it because the region was already in the page.
export function say(region, text) {
  region.textContent = text ?? '';
}

// Disables a form's controls while a request runs, so nothing is sent twice.
export function setBusy(container, busy) {
  container.setAttribute('aria-busy', busy ? 'true' : 'false');
  for (const control of container.querySelectorAll('button, input')) control.disabled = busy;
}

// Leaves for a page when the session is gone, with a message for it.
export function backToLogin(text) {
  clearSession();
  if (text) setNotice(text);
  location.assign('login.html');
}

// The signed-in user's session, or a redirect: to the login page without a
// session, to the password page when the password must be changed first.
export async function requireSession() {
  if (!session()) {
    backToLogin('Please sign in first.');
    return null;
  }
  try {
    return await api('GET', '/v1/session');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'password_change_required') {
      setNotice('You must choose a new password before you can continue.');
      location.assign('password.html');
      return null;
    }
    if (error instanceof ApiError && error.code === 'invalid_session') {
      backToLogin('Your session has ended. Please sign in again.');
      return null;
    }
    throw error;
  }
}

export function $(id) {
  return document.getElementById(id);
}

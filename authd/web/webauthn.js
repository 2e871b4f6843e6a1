// Security keys through the browser's WebAuthn API. The server sends the
// ceremony options as JSON (PublicKeyCredential*OptionsJSON) and takes the
// credential back as credential.toJSON(): no base64 handling here.

// { ok: true } or { ok: false, reason } in words a user can act on.
export function webauthnSupport() {
  if (!window.isSecureContext) {
    return { ok: false, reason: 'Security keys only work over a secure (HTTPS) connection.' };
  }
  if (typeof window.PublicKeyCredential !== 'function' || !navigator.credentials) {
    return { ok: false, reason: 'This browser does not support security keys (WebAuthn is not available). Use a code from your authenticator app, or another browser.' };
  }
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function' ||
      typeof PublicKeyCredential.parseCreationOptionsFromJSON !== 'function') {
    return { ok: false, reason: 'This browser is too old to use security keys here. Update it, or use a code from your authenticator app.' };
  }
  return { ok: true };
}

// Runs navigator.credentials.get for the server's request options; resolves
// to the credential's JSON form. `signal` (an AbortSignal) cancels it.
export async function getAssertion(optionsJSON, signal) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(optionsJSON);
  const credential = await navigator.credentials.get({ publicKey, signal });
  if (!credential) throw new DOMException('No credential was returned.', 'NotAllowedError');
  return credential.toJSON();
}

// Runs navigator.credentials.create for the server's creation options.
export async function createCredential(optionsJSON, signal) {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(optionsJSON);
  const credential = await navigator.credentials.create({ publicKey, signal });
  if (!credential) throw new DOMException('No credential was returned.', 'NotAllowedError');
  return credential.toJSON();
}

export function isWebauthnError(error) {
  return error instanceof DOMException;
}

// Plain words for what the browser reported. `ceremony` is "login" or "register".
export function describeWebauthnError(error, ceremony) {
  switch (error?.name) {
    case 'NotAllowedError':
      return ceremony === 'login'
        ? 'Your security key was not used: no key responded, the request was cancelled or timed out, or this key is not registered for this account.'
        : 'No security key was registered: no key responded, or the request was cancelled or timed out.';
    case 'AbortError':
      return 'Cancelled.';
    case 'InvalidStateError':
      return 'This security key is already registered.';
    case 'SecurityError':
      return 'The browser refused to use the security key for this address (the site name does not match the server\'s security key settings).';
    case 'NotSupportedError':
      return 'This security key cannot do what the server asks for.';
    default:
      return `The security key did not work (${error?.name ?? 'unknown error'}).`;
  }
}

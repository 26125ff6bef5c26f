// Return addresses: the login page takes "#next=<path>" and goes there after login. Only paths
// on this site are accepted, so a crafted link cannot send a freshly logged-in user elsewhere.
//
// The value after "#next=" is taken as it stands, not decoded again: it is a path as it appears
// in a URL (for example nginx's $request_uri), already percent-encoded.

export const LOGIN_PATH = '/login.html';

// safeNext(value): the value when it is a path on this site, else null. "//host" and "/\host"
// are other sites to a browser; browsers also drop tabs and newlines inside URLs ("/\t/host" is
// "//host"), so no control characters or spaces are allowed anywhere. The final check resolves
// the value as the browser will and compares origins.
export function safeNext(value) {
  if (typeof value !== 'string' || !value.startsWith('/')) return null;
  if (value[1] === '/' || value[1] === '\\') return null;
  if (/[\u0000-\u0020\u007f]/.test(value)) return null;
  let url;
  try {
    url = new URL(value, window.location.origin);
  } catch {
    return null;
  }
  if (url.origin !== window.location.origin || url.pathname === LOGIN_PATH) return null;
  return url.pathname + url.search + url.hash;
}

// nextFromLocation(): the checked return address of the login page's own URL, or "/".
export function nextFromLocation() {
  const prefix = '#next=';
  const hash = window.location.hash;
  return (hash.startsWith(prefix) && safeNext(hash.slice(prefix.length))) || '/';
}

// loginUrl(): the login page, returning afterwards to where the user is now.
export function loginUrl() {
  const here = window.location.pathname + window.location.search + window.location.hash;
  const next = safeNext(here);
  return next && next !== '/' ? `${LOGIN_PATH}#next=${next}` : LOGIN_PATH;
}

// Who is signed in: the bearer token and the claims the client shows (member, role). Kept in
// localStorage, so a link opened in a new tab of the same browser is signed in too; signing out
// clears it for every tab, and onSessionChange tells the other tabs (the `storage` event).

const KEY = 'asccollab.session';

export function currentSession() {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  let session;
  try {
    session = JSON.parse(raw);
  } catch {
    localStorage.removeItem(KEY);
    return null;
  }
  if (session.expires && session.expires * 1000 <= Date.now()) {
    localStorage.removeItem(KEY);
    return null;
  }
  return session;
}

export function startSession(token) {
  const claims = decodeClaims(token);
  const session = { token, member: claims.member, role: claims.role, expires: claims.exp };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function endSession() {
  localStorage.removeItem(KEY);
}

/** Calls listener(session or null) when another tab of this browser signs in or out. */
export function onSessionChange(listener) {
  const handler = (event) => { if (event.key === KEY || event.key === null) listener(currentSession()); };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}

/** The JWT payload (not verified here: the server verifies every call). */
export function decodeClaims(token) {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
  return JSON.parse(json);
}

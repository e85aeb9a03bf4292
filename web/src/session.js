// Who is signed in: the bearer token and the claims the client shows (member, role). Kept in
// sessionStorage, so each browser tab (and each test context) signs in on its own.

const KEY = 'asccollab.session';

export function currentSession() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  const session = JSON.parse(raw);
  if (session.expires && session.expires * 1000 <= Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return session;
}

export function startSession(token) {
  const claims = decodeClaims(token);
  const session = { token, member: claims.member, role: claims.role, expires: claims.exp };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function endSession() {
  sessionStorage.removeItem(KEY);
}

/** The JWT payload (not verified here: the server verifies every call). */
export function decodeClaims(token) {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
  return JSON.parse(json);
}

import { currentSession } from './session.js';

// REST calls with the session's bearer token. Errors are Problem Details with a stable code;
// they become ApiError so views can show the server's own words.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? (status === 401 ? 'unauthorized' : `http_${status}`);
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, token, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const bearer = token ?? currentSession()?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON: the status says enough */ }
    // An expired token (or a Development server restarted with a new key): sign in again.
    if (response.status === 401 && bearer && !token) window.dispatchEvent(new Event('asccollab:unauthorized'));
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

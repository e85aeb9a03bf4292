import { currentSession } from './session.js';
import { peoplesWords } from './refusals.js';

// REST calls with the session's bearer token. Errors are Problem Details with a stable code;
// they become ApiError, whose message is the code in a delegate's words (refusals.js): views
// show `error.message` and decide on `error.code`, never print the code.

export class ApiError extends Error {
  constructor(status, problem) {
    const code = problem?.code ?? (status === 401 ? 'unauthorized' : status === 0 ? 'unreachable' : `http_${status}`);
    super(peoplesWords(code, problem?.detail));
    this.status = status;
    this.code = code;
    this.detail = problem?.detail ?? null;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, token, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const bearer = token ?? currentSession()?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, null); // the network, not the server: nothing was answered
  }
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

/** A file (e.g. a .docx) with the session's token, saved under `filename` by the browser. */
export async function download(path, filename) {
  const bearer = currentSession()?.token;
  let response;
  try {
    response = await fetch(path, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

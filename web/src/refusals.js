// What a delegate reads when the server or the connection refuses something. One sentence per
// stable error code of docs/api.md (REST, Problem Details `code`) and docs/hub.md (hub,
// `HubException: code: detail`); api.js and live.js put it in every error's `message`, so no
// view ever shows a raw code ("invalid_transition: …"). The server's detail is added only where
// it is about what the delegate did (a missing reason, a too-long title, who may act) and
// carries no internal id, hash or code.

const SENTENCES = {
  not_found: 'It does not exist (any more), or the link is wrong.',
  forbidden: 'Your delegation and role do not allow this.',
  unauthorized: 'Your sign-in has expired. Please sign in again.',
  invalid_op: 'This edit did not fit the current text, so it was not saved.',
  stale_revision: 'The text has changed in the meantime. Look at the current text and try again.',
  brackets_open: 'Paragraphs of this text still have open brackets: to circulate it anyway, the Chair gives a reason for the override.',
  too_large: 'This is longer than AscCollab accepts.',
  locked: 'The text is locked: consensus has been reached, or the proposal was adopted or withdrawn.',
  invalid_input: 'Something in the form is missing or not valid.',
  invalid_transition: 'This is not possible at the proposal’s current stage.',
  conflict: 'Someone else made a change at the same moment, or the name is already taken. Look again, then retry.',
  unavailable: 'The server is busy and nothing was changed. Please try again in a moment.',
  outcome_unknown: 'The server did not answer in time: the change may or may not have been made. Reload the page and check before trying again.',
  revision_lost: 'The server lost changes it had already confirmed. Your copy of the text still has them.',
  rate_limited: 'Too many requests in a short time; nothing was done. Wait a moment, then try again.',
  internal: 'Something went wrong on the server. It has been logged; please try again, and tell the ASEAN Secretariat if it happens again.',
  disconnected: 'There is no connection to the server just now. Wait until the status at the top says “Connected”, then try again.',
  unreachable: 'The server could not be reached. Check the network connection, then try again.',
};

const FALLBACK = 'The server could not do this. Please try again, and tell the ASEAN Secretariat if it happens again.';

/** Codes whose server detail, when it reads as plain words, says more than the sentence. */
const WITH_DETAIL = new Set(['forbidden', 'invalid_input', 'too_large', 'invalid_transition', 'stale_revision', 'brackets_open']);

/** Statuses in running text ("a proposal that is still a draft"). */
const STATUS_PHRASES = {
  Drafting: 'still a draft (not yet circulated)',
  UnderConsideration: 'under consideration',
  ConsensusReached: 'at consensus',
  Adopted: 'adopted',
  Blocked: 'blocked by an objection',
  Withdrawn: 'withdrawn',
};

/** A status in words, lower case ("under consideration"). */
export const statusWords = (status) => String(status).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** The sentence a delegate reads for a refusal with this code and (optional) server detail. */
export function peoplesWords(code, detail) {
  const sentence = SENTENCES[code] ?? FALLBACK;
  const extra = WITH_DETAIL.has(code) ? plainDetail(detail) : null;
  return extra ? `${sentence} ${extra}` : sentence;
}

/** The server's detail when it reads as words: no code prefix, no ids, hashes or enum names. */
export function plainDetail(detail) {
  if (!detail) return null;
  let text = String(detail).trim().replace(/^[a-z]+(?:_[a-z]+)+:\s*/, '');
  // Quoted ids, proposal ids, hashes and code-like words are for the logs, not for delegates.
  if (/'[^']*'|\bp-[a-z2-7]{10}\b|sha256|[0-9a-f]{16,}|\b[a-z]+_[a-z_]+\b|\bopId\b|\bHTTP\b/i.test(text)) return null;
  text = text.replace(/\b(Drafting|UnderConsideration|ConsensusReached|Adopted|Blocked|Withdrawn)\b/g, (s) => STATUS_PHRASES[s])
    .replace(/\bcode points\b/g, 'characters');
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The words for any error a view catches: a refusal's sentence, or the error's own message. */
export function refusalText(error) {
  if (error && typeof error.code === 'string') return peoplesWords(error.code, error.detail);
  if (error instanceof TypeError) return SENTENCES.unreachable;
  return error?.message ?? FALLBACK;
}

// The words a delegate reads for every refusal the client can meet (web/src/refusals.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peoplesWords, plainDetail, refusalText, statusWords } from '../src/refusals.js';

// docs/api.md (REST) and docs/hub.md (hub), plus the client's own: no connection, no network.
const CODES = ['not_found', 'forbidden', 'unauthorized', 'invalid_op', 'stale_revision', 'too_large', 'locked', 'invalid_input',
  'invalid_transition', 'conflict', 'unavailable', 'outcome_unknown', 'rate_limited', 'internal', 'disconnected', 'unreachable'];
const RAW = /\b[a-z]+_[a-z_]+\b|:\s*$/;

test('every code has its own sentence, and no sentence shows a code', () => {
  const sentences = CODES.map((code) => peoplesWords(code, null));
  assert.equal(new Set(sentences).size, CODES.length, 'one sentence per code');
  for (const [i, sentence] of sentences.entries()) {
    assert.doesNotMatch(sentence, RAW, `${CODES[i]}: ${sentence}`);
    assert.match(sentence, /^[A-Z].*[.”]$/, `${CODES[i]} reads as a sentence: ${sentence}`);
  }
});

test('a code the client does not know still gets words, never the code', () => {
  for (const code of ['http_405', 'method_not_allowed', 'something_new']) {
    const words = peoplesWords(code, 'method_not_allowed: whatever');
    assert.doesNotMatch(words, /http_|method_not|something_new/);
  }
});

test('signing off on a draft says why in words, not invalid_transition: … Drafting', () => {
  const words = peoplesWords('invalid_transition', 'Cannot sign off on a proposal that is Drafting.');
  assert.doesNotMatch(words, /invalid_transition|Drafting/);
  assert.match(words, /still a draft \(not yet circulated\)/);
});

test('a detail about what the delegate did is kept; ids, hashes and codes are not', () => {
  assert.match(peoplesWords('invalid_input', 'An objection needs a reason.'), /An objection needs a reason\.$/);
  assert.match(peoplesWords('forbidden', 'Only the member holding the ASEAN chairmanship may circulate proposals.'), /Only the member holding/);
  assert.equal(plainDetail("MY may not see proposal 'p-abcdefghij'."), null);
  assert.equal(plainDetail('op sha256 0123456789abcdef0123456789abcdef'), null);
  assert.equal(plainDetail('opId must be 1 to 64 of A-Z'), null);
  assert.equal(plainDetail('stale_revision: The sign-off names revision 9; the text is at revision 3.'), 'The sign-off names revision 9; the text is at revision 3.');
  assert.equal(plainDetail('The text is longer than 100000 code points'), 'The text is longer than 100000 characters.');
  // Workflow refusals keep to the sentence: their details speak of the server's rules.
  assert.equal(peoplesWords('conflict', 'The group is already set up.'), peoplesWords('conflict', null));
});

test('refusalText: an error with a code gets the code\'s words; a failed fetch says the server was not reached', () => {
  const hub = Object.assign(new Error('Cannot sign off on a proposal that is Drafting.'), { code: 'invalid_transition', detail: 'Cannot sign off on a proposal that is Drafting.' });
  assert.doesNotMatch(refusalText(hub), /invalid_transition|Drafting/);
  assert.equal(refusalText(new TypeError('Failed to fetch')), peoplesWords('unreachable'));
  assert.equal(refusalText(new Error('Revisions run from 0 to 4.')), 'Revisions run from 0 to 4.');
});

test('statuses in words', () => {
  assert.equal(statusWords('UnderConsideration'), 'under consideration');
  assert.equal(statusWords('ConsensusReached'), 'consensus reached');
  assert.equal(statusWords('Drafting'), 'drafting');
});

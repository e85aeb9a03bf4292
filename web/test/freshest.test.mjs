// The dashboard's merge of reads and pushes (web/src/views/freshest.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSummaries, newerOverview, rememberPushed } from '../src/views/freshest.js';

const summary = (proposalId, version, status) => ({ proposalId, version, status });

test('a list read that a push overtook keeps the pushed, newer summary', () => {
  const pushed = new Map();
  // Read started (p-1 at version 3), then a sign-off was pushed (version 4), then the answer came.
  rememberPushed(pushed, summary('p-1', 4, 'ConsensusReached'));
  const merged = mergeSummaries([summary('p-1', 3, 'UnderConsideration'), summary('p-2', 1, 'Drafting')], pushed);
  assert.deepEqual(merged, [summary('p-1', 4, 'ConsensusReached'), summary('p-2', 1, 'Drafting')]);
});

test('a newer read replaces an older push, and a proposal created during the read is kept', () => {
  const pushed = new Map();
  rememberPushed(pushed, summary('p-1', 2, 'Drafting'));
  rememberPushed(pushed, summary('p-9', 1, 'Drafting'));
  const merged = mergeSummaries([summary('p-1', 5, 'Adopted')], pushed);
  assert.deepEqual(merged, [summary('p-1', 5, 'Adopted'), summary('p-9', 1, 'Drafting')]);
});

test('pushes arriving out of order keep the newest version', () => {
  const pushed = new Map();
  rememberPushed(pushed, summary('p-1', 7, 'Adopted'));
  rememberPushed(pushed, summary('p-1', 6, 'ConsensusReached'));
  assert.equal(pushed.get('p-1').version, 7);
});

test('an overview answer older than the pushed one does not replace it', () => {
  const pushedOverview = { at: '2026-11-23T09:30:00.500+00:00', members: ['newer'] };
  const answer = { at: '2026-11-23T09:30:00.100+00:00', members: ['older'] };
  assert.equal(newerOverview(pushedOverview, answer), pushedOverview);
  assert.equal(newerOverview(answer, pushedOverview), pushedOverview);
  assert.equal(newerOverview(null, answer), answer);
});

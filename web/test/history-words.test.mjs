import test from 'node:test';
import assert from 'node:assert/strict';
import { historyItems, versionNames, listWords } from '../src/history-words.js';

const NAMES = { MY: 'Malaysia', SG: 'Singapore', PH: 'Philippines', TH: 'Thailand' };
const memberName = (code) => NAMES[code] ?? code;
const nameOf = (id) => ({ 'preventive-diplomacy': 'Preventive diplomacy', 'liaison-1': 'Working group on liaison' }[id] ?? null);
const H = 'a'.repeat(64);
let seq = 0;
const entry = (member, role, action, detail, revision, at = '2026-12-04T10:00:00Z') => ({ sequence: ++seq, at, member, role, action, detail, revision, prevHash: H, hash: H });

const trail = () => [
  entry('MY', 'Delegate', 'create', `title "Register of experts", activity preventive-diplomacy, group liaison-1, text sha256 ${H}`, 0, '2026-12-01T09:00:00Z'),
  entry('MY', 'Delegate', 'edit', `op sha256 ${H}`, 1, '2026-12-02T09:00:00Z'),
  entry('MY', 'Delegate', 'edit', `op sha256 ${H}`, 2, '2026-12-02T09:01:00Z'),
  entry('MY', 'Delegate', 'edit', `op sha256 ${H}`, 3, '2026-12-02T09:02:00Z'),
  entry('PH', 'Chair', 'circulate', `All: unanimity to MY,SG,PH,TH; recorded as version 2 "as circulated on 4 Dec 2026" (Circulated) of revision 3, text sha256 ${H}`, 3, '2026-12-04T08:00:00Z'),
  entry('PH', 'Chair', 'status', 'Drafting -> UnderConsideration', 3, '2026-12-04T08:00:00Z'),
  entry('SG', 'Delegate', 'sign-off', `SG: Concur on revision 3, text sha256 ${H}`, 3, '2026-12-04T09:00:00Z'),
  entry('TH', 'Delegate', 'edit', `op sha256 ${H}`, 4, '2026-12-04T10:30:00Z'),
  entry('TH', 'Delegate', 'sign-offs-stale', 'positions of SG were given on earlier text; renewal asked', 4, '2026-12-04T10:30:00Z'),
  entry('MY', 'Delegate', 'sign-off', `MY: Object on revision 4, text sha256 ${H}, reason: Too broad`, 4, '2026-12-04T11:00:00Z'),
];

test('the trail reads in words, with names of members, activities, groups and versions', () => {
  const words = historyItems(trail(), { memberName, nameOf }).map((i) => i.words);
  assert.deepEqual(words, [
    'Malaysia proposed “Register of experts” under “Preventive diplomacy” as a draft of “Working group on liaison”',
    'Malaysia edited the text (3 changes)',
    'Philippines (Chair) circulated the proposal for sign-off to 4 members (unanimity)',
    'The proposal is now under consideration (it was a draft)',
    'Singapore signed off (concur) on the version as circulated on 4 Dec 2026',
    'Thailand edited the text',
    'After Thailand’s edit, the sign-offs of Singapore were on earlier text: renewal asked',
    'Malaysia signed off (object) on the draft of 4 Dec 2026, 10:30 UTC',
  ]);
});

test('no hash, revision number or code reaches the words', () => {
  for (const item of historyItems(trail(), { memberName, nameOf })) {
    const text = `${item.words} ${item.quote ?? ''}`;
    assert.doesNotMatch(text, /[0-9a-f]{16}|revision \d|sha256|\bMY\b|\bSG\b|preventive-diplomacy|liaison-1|UnderConsideration/, text);
  }
});

test('a reason is kept as a quote, and each item keeps its raw entries for "Show hashes"', () => {
  const items = historyItems(trail(), { memberName, nameOf });
  assert.equal(items.at(-1).quote, 'Too broad');
  assert.equal(items[1].entries.length, 3);
  assert.equal(items[1].at, '2026-12-02T09:00:00Z');
  assert.equal(items[1].until, '2026-12-02T09:02:00Z');
});

test('edits by different delegations are not merged', () => {
  const items = historyItems([
    entry('MY', 'Delegate', 'edit', 'op', 1), entry('SG', 'Delegate', 'edit', 'op', 2), entry('MY', 'Delegate', 'edit', 'op', 3),
  ], { memberName });
  assert.deepEqual(items.map((i) => i.words), ['Malaysia edited the text', 'Singapore edited the text', 'Malaysia edited the text']);
});

test('versions are named from the trail, and the server\'s names win', () => {
  const names = versionNames(trail());
  assert.equal(names.nameOf(0), 'the text as proposed');
  assert.equal(names.nameOf(3), 'the version as circulated on 4 Dec 2026');
  assert.equal(names.nameOf(1), 'the draft of 2 Dec 2026, 09:00 UTC');
  assert.equal(names.nameOf(4), 'the draft of 4 Dec 2026, 10:30 UTC');
  const named = versionNames(trail(), [{ revision: 4, name: 'Bangkok text', kind: 'Named' }, { revision: 3, name: 'as circulated on 5 Dec 2026', kind: 'Circulated' }]);
  assert.equal(named.nameOf(3), 'the version as circulated on 5 Dec 2026');
  assert.equal(named.nameOf(4), 'the version “Bangkok text”');
  assert.deepEqual(named.named().map((v) => v.revision), [0, 3, 4]);
});

test('an unknown action still reads as words without hashes', () => {
  const [item] = historyItems([entry('SG', 'Chair', 'some-new-thing', `done on revision 5 with sha256 ${H}`, 5)], { memberName });
  assert.equal(item.words, 'Singapore (Chair): some new thing');
  assert.doesNotMatch(item.quote, /[0-9a-f]{16}|revision 5/);
});

test('lists of names read as a sentence', () => {
  assert.equal(listWords(['A']), 'A');
  assert.equal(listWords(['A', 'B']), 'A and B');
  assert.equal(listWords(['A', 'B', 'C']), 'A, B and C');
});

test('the comparison says who inserted and who deleted each part', async () => {
  const { buildHistory, attributedDiff } = await import('../src/revision-diff.js');
  // "Members meet." → MY inserts " yearly" (r1) → SG deletes "Members" and inserts "Parties" (r2).
  const edits = [
    { revision: 1, member: 'MY', op: [12, ' yearly'] },
    { revision: 2, member: 'SG', op: [{ d: 7 }, 'Parties'] },
  ];
  const history = buildHistory('Parties meet yearly.', 2, edits, 'Members meet.');
  const by = new Map(edits.map((e) => [e.revision, e.member]));
  assert.deepEqual(attributedDiff(history, 0, 2, (r) => by.get(r)), [
    { kind: 'deleted', text: 'Members', by: 'SG' },
    { kind: 'inserted', text: 'Parties', by: 'SG' },
    { kind: 'same', text: ' meet', by: null },
    { kind: 'inserted', text: ' yearly', by: 'MY' },
    { kind: 'same', text: '.', by: null },
  ]);
  assert.deepEqual(attributedDiff(history, 1, 2, (r) => by.get(r)).filter((p) => p.kind !== 'same').map((p) => p.by), ['SG', 'SG']);
});

test('amendments, discussions, ad referendum, overrides and versions read in words', () => {
  const annotations = { a3: { author: 'MY', paragraph: 'OP2' }, c7: { author: 'TH', paragraph: 'PP1' } };
  const entries = [
    entry('MY', 'Delegate', 'amendment-tabled', `a3 (Replace) at 14..20 of revision 42: quote sha256 ${H}, replacement sha256 ${H}`, 43),
    entry('TH', 'Delegate', 'amendment-position', 'a3: TH Support', 43),
    entry('VN', 'Delegate', 'amendment-position', 'a3: VN took its position back', 43),
    entry('MY', 'Delegate', 'edit', `op sha256 ${H}`, 44),
    entry('PH', 'Chair', 'amendment-accepted', 'a3 by MY applied as revision 44; accepted by PH (Chair)', 44),
    entry('SG', 'Delegate', 'amendment-rejected', 'a4 by SG: Not in the mandate', 44),
    entry('TH', 'Delegate', 'comment', 'c7 on 0..12 of revision 44; mentions MY,SG', 44),
    entry('MY', 'Delegate', 'comment-reply', 'c7 #2', 44),
    entry('TH', 'Delegate', 'comment-resolved', 'c7', 44),
    entry('TH', 'Delegate', 'ad-referendum', 'TH agrees OP2 ad referendum (mark 1), pending confirmation by the capital, by 2026-12-11', 44),
    entry('TH', 'Delegate', 'ad-referendum-confirm', 'TH confirms its ad-referendum agreement on OP2 (mark 1): Bangkok confirmed', 44),
    entry('PH', 'Chair', 'circulate-override-brackets', 'OP1, OP3 circulated with open brackets (2 passages, 0 unbalanced): Leaders asked for both options', 44),
    entry('MY', 'Delegate', 'version', `version 3 "Bangkok text" (Named) of revision 44, text sha256 ${H}`, 44),
  ];
  const items = historyItems(entries, { memberName, annotation: (id) => annotations[id] ?? null });
  assert.deepEqual(items.map((i) => i.words), [
    'Malaysia tabled an amendment to operative paragraph 2 (a replacement)',
    'Thailand supported Malaysia’s amendment to operative paragraph 2',
    'VN took back its position on Malaysia’s amendment to operative paragraph 2',
    'Malaysia edited the text',
    'Philippines (Chair) accepted Malaysia’s amendment to operative paragraph 2: the text now has it, as Malaysia’s edit',
    'Singapore rejected Singapore’s amendment',
    'Thailand started a discussion on preambular paragraph 1, mentioning Malaysia and Singapore',
    'Malaysia replied in the discussion on preambular paragraph 1',
    'Thailand resolved the discussion on preambular paragraph 1',
    'Thailand agreed operative paragraph 2 ad referendum, pending confirmation by the capital, by 11 Dec 2026',
    'Thailand confirmed its agreement on operative paragraph 2: its capital confirmed',
    'Philippines (Chair) circulated the text with open brackets in operative paragraphs 1 and 3',
    'Malaysia named a version: “Bangkok text”',
  ]);
  assert.equal(items[5].quote, 'Not in the mandate');
  assert.equal(items[11].quote, 'Leaders asked for both options');
  for (const item of items) assert.doesNotMatch(item.words, /[0-9a-f]{16}|revision \d|\ba3\b|\bc7\b/);
});

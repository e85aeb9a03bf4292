import test from 'node:test';
import assert from 'node:assert/strict';
import { paragraphsOf, bracketsOf, highlightParts, paragraphAt, localStatus } from '../src/drafting.js';

const TEXT = 'Recalling the 2004 Plan,\n\nNoting the progress,\n  \nHave agreed as follows:\n\nMembers [shall][should] meet.\nEach year.\n\n\nThe Chair reports [annually].';

test('paragraphs are blank-line separated and numbered by the chapeau rule', () => {
  const ps = paragraphsOf(TEXT);
  assert.deepEqual(ps.map((p) => [p.number, p.kind]), [['PP1', 'Preambular'], ['PP2', 'Preambular'], [null, 'Chapeau'], ['OP1', 'Operative'], ['OP2', 'Operative']]);
  assert.equal(ps[3].text, 'Members [shall][should] meet.\nEach year.');
  assert.equal(TEXT.slice(ps[4].start, ps[4].end), 'The Chair reports [annually].');
});

test('without a chapeau every paragraph is operative; leading and trailing blank lines are not paragraphs', () => {
  assert.deepEqual(paragraphsOf('\n\nOne.\n\nTwo.\n\n').map((p) => p.number), ['OP1', 'OP2']);
  assert.deepEqual(paragraphsOf(''), []);
});

test('adjacent brackets are alternatives of one passage; separated ones are two; nesting is one', () => {
  assert.deepEqual(bracketsOf('Members [shall][should] meet.').passages, [{ start: 8, end: 23, alternatives: ['shall', 'should'] }]);
  assert.equal(bracketsOf('[a] [b]').passages.length, 2);
  assert.deepEqual(bracketsOf('[[a] b]').passages, [{ start: 0, end: 7, alternatives: ['[a] b'] }]);
});

test('unbalanced brackets are reported, never guessed', () => {
  assert.deepEqual(bracketsOf('a ] b').problems, [{ code: 'unexpected_close', index: 2 }]);
  assert.deepEqual(bracketsOf('a [b').problems, [{ code: 'unclosed_open', index: 2 }]);
  assert.equal(localStatus({ text: 'a [b' }), 'Bracketed');
  assert.equal(localStatus({ text: 'a b' }), 'Agreed');
});

test('highlighting cuts a paragraph into plain, bracketed and problem parts that rebuild it', () => {
  const text = 'Members [shall][should] meet ] [annually';
  const parts = highlightParts(text);
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.deepEqual(parts.filter((p) => p.bracket).map((p) => p.text), ['[shall][should]']);
  assert.deepEqual(parts.filter((p) => p.problem).map((p) => p.text), [']', '[']);
});

test('an index belongs to the paragraph it falls in (or the one before a blank line)', () => {
  const ps = paragraphsOf(TEXT);
  assert.equal(paragraphAt(ps, TEXT.indexOf('should')).number, 'OP1');
  assert.equal(paragraphAt(ps, 0).number, 'PP1');
  assert.equal(paragraphAt(ps, TEXT.indexOf('\n\n\n') + 1).number, 'OP1');
});

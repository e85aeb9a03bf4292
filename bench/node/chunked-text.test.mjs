// node --test chunked-text.test.mjs — ChunkedText gives the text ot-text-unicode's apply gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ot from 'ot-text-unicode';
import { ChunkedText, codePoints } from './chunked-text.mjs';

const text = ot.type;

// A small deterministic generator (xorshift), so a failure can be replayed.
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000; };
}

const alphabet = ['a', 'b', ' ', 'é', '中', '😀', '𝄞', '\n'];
const word = (rand, max) => Array.from({ length: 1 + Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');

function randomOp(rand, length) {
  const op = [];
  let at = 0;
  const parts = 1 + Math.floor(rand() * 3);
  for (let p = 0; p < parts && at <= length; p++) {
    const skip = Math.floor(rand() * (length - at + 1) * (p === 0 ? 1 : 0.3));
    if (skip > 0) { op.push(skip); at += skip; }
    if (rand() < 0.6 || at === length) {
      op.push(word(rand, rand() < 0.05 ? 1500 : 8));
    } else {
      const n = 1 + Math.floor(rand() * Math.min(length - at, rand() < 0.05 ? 2500 : 10));
      op.push({ d: n });
      at += n;
    }
  }
  return text.normalize(op);
}

for (const seed of [1, 2, 3, 42, 2026]) {
  test(`random ops give ot-text-unicode's text (seed ${seed})`, () => {
    const rand = random(seed);
    let expected = word(rand, 5000);
    const chunked = new ChunkedText(expected);
    for (let i = 0; i < 1500; i++) {
      const op = randomOp(rand, codePoints(expected));
      if (op.length === 0) continue;
      expected = text.apply(expected, op);
      chunked.apply(op);
      if (i % 97 === 0) assert.equal(chunked.toString(), expected, `after op ${i} ${JSON.stringify(op).slice(0, 200)}`);
    }
    assert.equal(chunked.toString(), expected);
    assert.equal(chunked.length, codePoints(expected));
  });
}

test('an empty text takes inserts and deletes to empty again', () => {
  const t = new ChunkedText('');
  t.apply(['x😀y']);
  assert.equal(t.toString(), 'x😀y');
  t.apply([{ d: 3 }]);
  assert.equal(t.toString(), '');
  t.apply(['z']);
  assert.equal(t.toString(), 'z');
});

test('an op past the end is refused, as ot-text-unicode refuses it', () => {
  assert.throws(() => text.apply('abc', [4, 'x']));
  assert.throws(() => new ChunkedText('abc').apply([4, 'x']));
  assert.throws(() => new ChunkedText('abc').apply([2, { d: 2 }]));
  assert.throws(() => new ChunkedText('abc').apply([0, 'x']));
});

test('codePoints counts a surrogate pair once', () => {
  assert.equal(codePoints('a😀b'), 3);
  assert.equal(codePoints(''), 0);
  assert.equal(codePoints('\ud800'), 1);
});

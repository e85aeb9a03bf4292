'use strict';
// Differential-test harness: reads one JSON case per line on stdin, runs it through the real
// ot-text-unicode and writes one JSON result per line on stdout. Ops are printed with
// JSON.stringify (the canonical form the C# ToJson must reproduce); documents with every
// non-ASCII code unit escaped, so lone surrogates survive the trip unchanged.
const readline = require('readline');
const { type } = require('ot-text-unicode');

const escapeAscii = (s) => '"' + Array.from({ length: s.length }, (_, i) => {
  const c = s.charCodeAt(i);
  return c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c ? '\\u' + c.toString(16).padStart(4, '0') : s[i];
}).join('') + '"';

// Results are raw JSON text so the C# side can compare them byte for byte.
const attempt = (fn) => {
  try {
    return fn();
  } catch (e) {
    return JSON.stringify({ error: String(e && e.message) });
  }
};
const op = (o) => JSON.stringify(type.stripInvertible(o));
const doc = (s) => escapeAscii(s);

// normalize (and everything built on its mapOp) pushes the caller's delete objects into its
// result and then merges into them, so it mutates its input; every call gets fresh copies.
const fresh = (value) => structuredClone(value);

const run = (input) => {
  const k = new Proxy(input, { get: (target, key) => fresh(target[key]) });
  // TextOperation is always normalised, and the package's transform is not invariant under
  // normalisation (two adjacent inserts tie-break one by one), so a, b and c go in normalised.
  const n = (key) => type.normalize(k[key]);
  const out = {};
  out.id = k.id;
  out.applyA = attempt(() => doc(type.apply(k.doc, k.a)));
  out.applyB = attempt(() => doc(type.apply(k.doc, k.b)));
  out.normA = attempt(() => JSON.stringify(type.normalize(type.stripInvertible(k.a))));
  out.aLeft = attempt(() => op(type.transform(n('a'), n('b'), 'left')));
  out.aRight = attempt(() => op(type.transform(n('a'), n('b'), 'right')));
  out.bLeft = attempt(() => op(type.transform(n('b'), n('a'), 'left')));
  out.bRight = attempt(() => op(type.transform(n('b'), n('a'), 'right')));
  out.composeAC = attempt(() => op(type.compose(n('a'), n('c'))));
  out.applyAC = attempt(() => doc(type.apply(type.apply(k.doc, k.a), k.c)));
  out.posA = attempt(() => JSON.stringify(type.transformPosition(k.cursor, n('a'))));
  out.posB = attempt(() => JSON.stringify(type.transformPosition(k.cursor, n('b'))));
  out.invA = attempt(() => op(type.invertWithDoc(n('a'), k.doc)));
  out.strict = attempt(() => {
    type.checkOp(k.raw);
    return JSON.stringify(type.stripInvertible(type.normalize(k.raw)));
  });
  out.lenient = attempt(() => {
    const n = type.normalize(k.raw);
    type.checkOp(n);
    return JSON.stringify(type.stripInvertible(n));
  });
  out.misfit = attempt(() => doc(type.apply(k.doc, k.misfit)));
  // Raw JSON fragments joined by hand: each value above is already JSON text.
  return '{' + Object.entries(out).map(([key, v]) => JSON.stringify(key) + ':' + v).join(',') + '}';
};

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  process.stdout.write(run(JSON.parse(line)) + '\n');
});

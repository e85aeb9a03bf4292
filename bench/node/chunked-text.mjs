// A client's copy of the document for the load generator, in chunks of at most MAX_CHUNK UTF-16
// units, applying ot-text-unicode ops (positions and lengths in Unicode code points).
//
// ot-text-unicode's own apply works on one flat string: every op walks the string from its start
// to the op's position and copies the whole text into a new one. With 50 clients each applying
// every op to a 10,000–25,000-character text, that was over half of the generator's JavaScript
// time (a CPU profile of the typing workload), and the generator runs on one core. Here a skip
// walks chunk lengths, and an insert or delete copies one chunk.
//
// The result is the same text as ot-text-unicode's apply (chunked-text.test.mjs checks it against
// it on random ops, surrogate pairs included), and the load generator still checks at the end that
// every client's text equals the server's.

const MAX_CHUNK = 1024;

const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;

/** Code points in s (a surrogate pair counts once). */
export function codePoints(s) {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if (isHighSurrogate(s.charCodeAt(i))) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}

/** The UTF-16 index of code point `points` of s (s.length when points is its code point count). */
function unitIndex(s, points, pointsInS) {
  if (pointsInS === s.length) return points; // no surrogate pair: one unit per code point
  let i = 0;
  for (let p = 0; p < points; p++) {
    if (i >= s.length) throw new Error('The op is too long for this document');
    i += isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length ? 2 : 1;
  }
  return i;
}

/** Where to cut s near its middle without splitting a surrogate pair. */
function middle(s) {
  let at = s.length >> 1;
  if (isHighSurrogate(s.charCodeAt(at - 1))) at++;
  return at;
}

export class ChunkedText {
  constructor(initial = '') {
    if (typeof initial !== 'string') throw new Error('The initial text must be a string');
    this.chunks = [];
    this.points = [];
    for (let i = 0; i < initial.length;) {
      let end = Math.min(initial.length, i + MAX_CHUNK);
      if (end < initial.length && isHighSurrogate(initial.charCodeAt(end - 1))) end++;
      const chunk = initial.slice(i, end);
      this.chunks.push(chunk);
      this.points.push(codePoints(chunk));
      i = end;
    }
    if (this.chunks.length === 0) { this.chunks.push(''); this.points.push(0); }
    this.size = this.points.reduce((sum, p) => sum + p, 0);
  }

  /** Applies an ot-text-unicode op: numbers skip, strings insert, {d: n | string} deletes. */
  apply(op) {
    if (!Array.isArray(op)) throw new Error('An op is an array of components');
    const { chunks, points } = this;
    let c = 0; // chunk index
    let at = 0; // code points into chunks[c]
    for (const component of op) {
      if (typeof component === 'number') {
        let n = component;
        if (!(n > 0) || !Number.isInteger(n)) throw new Error(`Invalid skip ${n}`);
        while (n > 0) {
          const room = points[c] - at;
          if (n <= room) { at += n; n = 0; } else {
            n -= room;
            if (++c === chunks.length) throw new Error('The op is too long for this document');
            at = 0;
          }
        }
      } else if (typeof component === 'string') {
        if (component.length === 0) throw new Error('Empty insert');
        const chunk = chunks[c];
        const i = unitIndex(chunk, at, points[c]);
        const inserted = codePoints(component);
        chunks[c] = chunk.slice(0, i) + component + chunk.slice(i);
        points[c] += inserted;
        at += inserted;
        this.size += inserted;
        if (chunks[c].length > MAX_CHUNK) {
          const whole = chunks[c];
          const cut = middle(whole);
          const left = whole.slice(0, cut);
          const leftPoints = codePoints(left);
          chunks.splice(c, 1, left, whole.slice(cut));
          points.splice(c, 1, leftPoints, points[c] - leftPoints);
          if (at > leftPoints) { at -= leftPoints; c++; }
        }
      } else if (component !== null && typeof component === 'object') {
        const d = component.d;
        let n = typeof d === 'string' ? codePoints(d) : d;
        if (!(n > 0) || !Number.isInteger(n)) throw new Error(`Invalid delete ${JSON.stringify(component)}`);
        while (n > 0) {
          const room = points[c] - at;
          if (room === 0) {
            if (++c === chunks.length) throw new Error('The op deletes past the end of the document');
            at = 0;
            continue;
          }
          const take = Math.min(n, room);
          const chunk = chunks[c];
          const from = unitIndex(chunk, at, points[c]);
          const to = unitIndex(chunk, at + take, points[c]);
          chunks[c] = chunk.slice(0, from) + chunk.slice(to);
          points[c] -= take;
          n -= take;
          this.size -= take;
          if (points[c] === 0 && chunks.length > 1) {
            chunks.splice(c, 1);
            points.splice(c, 1);
            if (c === chunks.length) { c--; at = points[c]; } else { at = 0; }
          }
        }
      } else {
        throw new Error(`Invalid component ${JSON.stringify(component)}`);
      }
    }
    return this;
  }

  /** Code points in the text. */
  get length() { return this.size; }

  toString() { return this.chunks.join(''); }
}

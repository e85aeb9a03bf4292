// The diff between two revisions of a proposal, rebuilt from the edit log (GetEditsSince(0)).
// Every position ever written becomes a cell with the revision that inserted it and the one
// that deleted it; replaying the log over cells keeps deleted ones as tombstones, so the text
// of any revision and the exact change between any two come out without guessing (no LCS).
// The log holds deletes by length only, so the characters of the initial text come from the
// server (hub GetTextAt(id, 0)); without it, initial characters later deleted show as '·'.

const UNKNOWN = '\u00b7';

/** Splits a string into ot-text-unicode positions (a surrogate code unit starts a two-unit step). */
export function positionsOf(text) {
  const out = [];
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    const step = code >= 0xd800 && code <= 0xdfff ? 2 : 1;
    out.push(text.slice(i, i + step));
    i += step;
  }
  return out;
}

/** currentText is the text at currentRevision; edits are revisions 1..currentRevision ascending. */
export function buildHistory(currentText, currentRevision, edits, initialText = null) {
  const current = positionsOf(currentText);
  let length = current.length;
  for (const edit of edits) {
    for (const c of edit.op) {
      if (typeof c === 'string') length -= positionsOf(c).length;
      else if (typeof c === 'object') length += typeof c.d === 'number' ? c.d : positionsOf(c.d).length;
    }
  }
  if (length < 0) throw new Error('The edit log does not match the current text.');
  const initial = initialText === null ? null : positionsOf(initialText);
  if (initial !== null && initial.length !== length) throw new Error('The initial text does not match the edit log.');
  let cells = Array.from({ length }, (_, i) => ({ ch: initial === null ? null : initial[i], born: 0, died: Infinity }));
  for (const edit of edits) cells = replay(cells, edit);
  const alive = cells.filter((c) => c.died === Infinity);
  if (alive.length !== current.length) throw new Error('The edit log does not match the current text.');
  alive.forEach((cell, i) => { if (cell.ch === null) cell.ch = current[i]; });
  const visible = (cell, r) => cell.born <= r && cell.died > r;
  return {
    revision: currentRevision,
    cells,
    visible,
    textAt: (r) => cells.filter((c) => visible(c, r)).map((c) => c.ch ?? UNKNOWN).join(''),
    unknownAt: (r) => cells.filter((c) => visible(c, r) && c.ch === null).length,
  };
}

function replay(cells, { revision, op }) {
  const before = revision - 1;
  const out = [];
  let i = 0;
  const takeVisible = (n, onVisible) => {
    while (n > 0) {
      if (i >= cells.length) throw new Error(`Revision ${revision} reaches past the text.`);
      const cell = cells[i++];
      if (cell.born <= before && cell.died > before) {
        onVisible(cell);
        n--;
      }
      out.push(cell);
    }
  };
  for (const c of op) {
    if (typeof c === 'number') takeVisible(c, () => {});
    else if (typeof c === 'string') for (const ch of positionsOf(c)) out.push({ ch, born: revision, died: Infinity });
    else takeVisible(typeof c.d === 'number' ? c.d : positionsOf(c.d).length, (cell) => { cell.died = revision; });
  }
  while (i < cells.length) out.push(cells[i++]);
  return out;
}

/** [{ kind: 'same' | 'inserted' | 'deleted', text }] from revision a to revision b. */
export function diffRevisions(history, a, b) {
  const parts = [];
  for (const cell of history.cells) {
    const inA = history.visible(cell, a);
    const inB = history.visible(cell, b);
    if (!inA && !inB) continue;
    const kind = inA && inB ? 'same' : inB ? 'inserted' : 'deleted';
    const ch = cell.ch ?? UNKNOWN;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += ch;
    else parts.push({ kind, text: ch });
  }
  return parts;
}

/**
 * The change from revision a to b with who made it: [{ kind, text, by }], `by` = the member whose
 * edit inserted (kind 'inserted') or deleted (kind 'deleted') the text, null for 'same'.
 * `authorOf(revision)` names the member of an edit (GetEditsSince carries it); runs of one kind
 * by one member are one part.
 */
export function attributedDiff(history, a, b, authorOf) {
  const parts = [];
  for (const cell of history.cells) {
    const inA = history.visible(cell, a);
    const inB = history.visible(cell, b);
    if (!inA && !inB) continue;
    const kind = inA && inB ? 'same' : inB ? 'inserted' : 'deleted';
    const by = kind === 'same' ? null : authorOf(kind === 'inserted' ? cell.born : cell.died) ?? null;
    const ch = cell.ch ?? UNKNOWN;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind && last.by === by) last.text += ch;
    else parts.push({ kind, text: ch, by });
  }
  return parts;
}

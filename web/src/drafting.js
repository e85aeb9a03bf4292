// The drafting structure of a text as the client shows it between the server's pushes: paragraphs
// (blank-line separated), preambular/operative numbering by the chapeau rule, and square-bracketed
// passages to highlight — the rules of docs/drafting.md, computed on the local text so highlighting
// follows typing at once. Statuses and ad-referendum marks come from the server's structure (by
// paragraph number); this file never decides them. Pure functions, UTF-16 indices (a textarea's),
// tested in web/test/drafting.test.mjs.

const BLANK = /^[ \t]*$/;

/**
 * [{ start, end, text, kind: 'Preambular'|'Chapeau'|'Operative', number }] — `start`/`end` UTF-16
 * indices of the paragraph's text (its lines, without the blank lines around it).
 */
export function paragraphsOf(text) {
  const out = [];
  let at = 0;
  let start = -1;
  let end = -1;
  for (const line of text.split('\n')) {
    const lineEnd = at + line.length;
    if (BLANK.test(line)) {
      if (start >= 0) { out.push({ start, end }); start = -1; }
    } else {
      if (start < 0) start = at;
      end = lineEnd;
    }
    at = lineEnd + 1;
  }
  if (start >= 0) out.push({ start, end });
  const chapeau = out.findIndex((p) => text.slice(p.start, p.end).trimEnd().endsWith(':'));
  let pp = 0;
  let op = 0;
  return out.map((p, i) => {
    const kind = chapeau < 0 || i > chapeau ? 'Operative' : i === chapeau ? 'Chapeau' : 'Preambular';
    const number = kind === 'Operative' ? `OP${++op}` : kind === 'Preambular' ? `PP${++pp}` : null;
    return { ...p, text: text.slice(p.start, p.end), kind, number };
  });
}

/**
 * The bracketed passages of one paragraph's text: `{ passages: [{ start, end, alternatives }], problems:
 * [{ code, index }] }`, indices relative to the paragraph. Brackets nest; directly adjacent top-level
 * brackets are alternatives of one passage (`[shall][should]`). Unbalanced brackets are reported
 * (`unexpected_close`, `unclosed_open`), never guessed.
 */
export function bracketsOf(text) {
  const passages = [];
  const problems = [];
  const open = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') open.push(i);
    else if (text[i] === ']') {
      if (open.length === 0) { problems.push({ code: 'unexpected_close', index: i }); continue; }
      const from = open.pop();
      if (open.length > 0) continue;
      const last = passages[passages.length - 1];
      const alternative = text.slice(from + 1, i);
      if (last && last.end === from) { last.end = i + 1; last.alternatives.push(alternative); } else passages.push({ start: from, end: i + 1, alternatives: [alternative] });
    }
  }
  for (const index of open) problems.push({ code: 'unclosed_open', index });
  return { passages, problems };
}

/**
 * A paragraph's text cut into parts for display: [{ text, bracket: bool, problem: bool }] — bracketed
 * passages marked, an unbalanced bracket marked on its own.
 */
export function highlightParts(text) {
  const { passages, problems } = bracketsOf(text);
  const cuts = [
    ...passages.map((p) => ({ start: p.start, end: p.end, bracket: true, problem: false })),
    ...problems.map((p) => ({ start: p.index, end: p.index + 1, bracket: false, problem: true })),
  ].sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const cut of cuts) {
    if (cut.start < at) continue; // an unclosed '[' inside a passage already marked
    if (cut.start > at) parts.push({ text: text.slice(at, cut.start), bracket: false, problem: false });
    parts.push({ text: text.slice(cut.start, cut.end), bracket: cut.bracket, problem: cut.problem });
    at = cut.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), bracket: false, problem: false });
  return parts;
}

/** The paragraph (of `paragraphsOf`) an index falls in, or the nearest one before it, or null. */
export function paragraphAt(paragraphs, index) {
  let found = null;
  for (const p of paragraphs) if (p.start <= index) found = p;
  return found;
}

/** What the client shows as a paragraph's status until the server's structure names it. */
export const localStatus = (paragraph) => {
  const { passages, problems } = bracketsOf(paragraph.text);
  return passages.length > 0 || problems.length > 0 ? 'Bracketed' : 'Agreed';
};

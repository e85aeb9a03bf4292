// ot-text-unicode counts positions the way its dependency unicount does: every UTF-16 code
// unit in the surrogate range starts a two-unit step (so a well-formed pair is one position).
// A <textarea> counts UTF-16 code units. These two functions translate, never throwing: an
// index inside a pair is moved to the pair's end.

/** UTF-16 index → ot-text-unicode position. */
export function toPosition(text, index) {
  let position = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) i++;
    position++;
  }
  return position;
}

/** ot-text-unicode position → UTF-16 index (clamped to the text). */
export function toIndex(text, position) {
  let index = 0;
  for (; position > 0 && index < text.length; position--) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdfff ? 2 : 1;
  }
  return Math.min(index, text.length);
}

/** Number of positions in a string. */
export const positionLength = (text) => toPosition(text, text.length);

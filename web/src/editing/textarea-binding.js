import { type } from 'ot-text-unicode';
import { toIndex, toPosition } from './positions.js';

/**
 * The operation that turns `before` into `after` (one contiguous change, which is what one
 * input event makes), in ot-text-unicode positions. `caret`, the collapsed caret's UTF-16 index
 * in `after`, says where the change ends: a character typed next to an equal one ('a|b' → a
 * second space, a second '(') could otherwise be read as typed after its twin, leaving the
 * caret before the user's own character — and an edit from someone else arriving at the caret
 * would then land inside the user's word. Without a caret, the change starts at the first
 * difference.
 */
export function diffToOp(before, after, caret = -1) {
  if (before === after) return [];
  const max = Math.min(before.length, after.length);
  let prefix;
  let suffix;
  if (caret >= 0 && caret <= after.length) {
    suffix = commonSuffix(before, after, Math.min(max, after.length - caret));
    prefix = commonPrefix(before, after, max - suffix);
  } else {
    prefix = commonPrefix(before, after, max);
    suffix = commonSuffix(before, after, max - prefix);
  }
  let start = prefix;
  let endBefore = before.length - suffix;
  let endAfter = after.length - suffix;
  // Never split a surrogate pair: widen the change to whole pairs.
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  if (endBefore < before.length && isLow(before.charCodeAt(endBefore))) { endBefore++; endAfter++; }
  const position = toPosition(before, start);
  const deleted = toPosition(before, endBefore) - position;
  const inserted = after.slice(start, endAfter);
  const op = [];
  if (position > 0) op.push(position);
  if (deleted > 0) op.push({ d: deleted });
  if (inserted.length > 0) op.push(inserted);
  return type.normalize(op);
}

function commonPrefix(a, b, cap) {
  let n = 0;
  while (n < cap && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a, b, cap) {
  let n = 0;
  while (n < cap && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Keeps a <textarea> and a DocumentClient in step: local input becomes operations, remote
 * operations are written into the textarea with the caret and selection transformed through
 * them (transformPosition), so typing is never disturbed by others' edits.
 */
export class TextareaBinding {
  constructor(textarea, client) {
    this.textarea = textarea;
    this.client = client;
    this.shown = client.text;
    textarea.value = client.text;
    this.onInput = () => this.readLocal();
    textarea.addEventListener('input', this.onInput);
  }

  readLocal() {
    const area = this.textarea;
    const now = area.value;
    if (now === this.shown) return;
    // After typing, Backspace, Delete or a paste the caret sits where the change ends.
    const op = diffToOp(this.shown, now, area.selectionStart === area.selectionEnd ? area.selectionEnd : -1);
    this.shown = now;
    this.client.localEdit(op);
  }

  /** After the client applied `op` (remote, already transformed), or null after a reset. */
  remoteChanged(op) {
    const area = this.textarea;
    // Input events are dispatched in the same task as the change, so `shown` is what the
    // textarea held before this remote op: the caret is transformed from there.
    const before = this.shown;
    const after = this.client.text;
    const focused = document.activeElement === area;
    const start = toPosition(before, area.selectionStart);
    const end = toPosition(before, area.selectionEnd);
    const scroll = area.scrollTop;
    area.value = after;
    this.shown = after;
    if (op) {
      const newStart = type.transformPosition(start, op);
      const newEnd = start === end ? newStart : type.transformPosition(end, op);
      area.setSelectionRange(toIndex(after, newStart), toIndex(after, newEnd), area.selectionDirection);
    }
    area.scrollTop = scroll;
    if (focused && document.activeElement !== area) area.focus();
  }

  /** Puts `text` in the textarea as if the user had typed it: one local edit (re-applying lost changes). */
  replaceWith(text) {
    this.readLocal(); // anything typed but not read yet goes first
    const op = diffToOp(this.shown, text); // no caret: the smallest contiguous change
    this.textarea.value = text;
    this.shown = text;
    this.client.localEdit(op);
  }

  /** The local selection in ot positions. */
  selection() {
    const text = this.textarea.value;
    return [toPosition(text, this.textarea.selectionStart), toPosition(text, this.textarea.selectionEnd)];
  }

  dispose() {
    this.textarea.removeEventListener('input', this.onInput);
  }
}

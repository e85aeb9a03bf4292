import { type } from 'ot-text-unicode';
import { toIndex, toPosition } from './positions.js';

/**
 * The operation that turns `before` into `after`, from their common prefix and suffix
 * (one contiguous change, which is what one input event makes), in ot-text-unicode positions.
 */
export function diffToOp(before, after) {
  if (before === after) return [];
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
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
    const now = this.textarea.value;
    if (now === this.shown) return;
    const op = diffToOp(this.shown, now);
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

  /** The local selection in ot positions. */
  selection() {
    const text = this.textarea.value;
    return [toPosition(text, this.textarea.selectionStart), toPosition(text, this.textarea.selectionEnd)];
  }

  dispose() {
    this.textarea.removeEventListener('input', this.onInput);
  }
}

import { h } from '../dom.js';
import { toIndex } from './positions.js';

// Others' cursors drawn over the textarea: a mirror element with the same font, padding and
// wrapping holds the text with a marker at each cursor, scrolled with the textarea. The
// mirror is aria-hidden; the presence list next to the editor says the same in words.

export function memberColour(member) {
  let hash = 0;
  for (const c of member) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 70% 38%)`;
}

export class RemoteCursors {
  constructor(textarea) {
    this.textarea = textarea;
    this.mirror = h('div', { class: 'editor-mirror', 'aria-hidden': 'true' });
    textarea.insertAdjacentElement('afterend', this.mirror);
    textarea.addEventListener('scroll', () => this.sync());
    this.resize = new ResizeObserver(() => this.sync());
    this.resize.observe(textarea);
  }

  /** cursors: [{ member, anchor, head }] in positions of the textarea's current text. */
  render(cursors) {
    const text = this.textarea.value;
    const marks = cursors
      .map((c) => ({ ...c, at: toIndex(text, c.head), from: toIndex(text, Math.min(c.anchor, c.head)), to: toIndex(text, Math.max(c.anchor, c.head)) }))
      .sort((a, b) => a.at - b.at);
    const nodes = [];
    let last = 0;
    for (const mark of marks) {
      const colour = memberColour(mark.member);
      if (mark.to > mark.from && mark.from >= last) {
        nodes.push(text.slice(last, mark.from));
        nodes.push(h('span', { class: 'remote-selection', style: `background:${colour}33` }, text.slice(mark.from, mark.to)));
        last = mark.to;
      }
      const at = Math.max(mark.at, last);
      nodes.push(text.slice(last, at));
      nodes.push(h('span', { class: 'remote-caret', style: `border-color:${colour}`, dataset: { member: mark.member } },
        h('span', { class: 'remote-caret-label', style: `background:${colour}` }, mark.member)));
      last = at;
    }
    nodes.push(text.slice(last), '\u200b');
    this.mirror.replaceChildren(...nodes.map((n) => (typeof n === 'string' ? document.createTextNode(n) : n)));
    this.sync();
  }

  sync() {
    const area = this.textarea;
    this.mirror.style.width = `${area.clientWidth}px`;
    this.mirror.style.height = `${area.clientHeight}px`;
    this.mirror.style.top = `${area.offsetTop + area.clientTop}px`;
    this.mirror.style.left = `${area.offsetLeft + area.clientLeft}px`;
    this.mirror.scrollTop = area.scrollTop;
  }

  dispose() {
    this.resize.disconnect();
    this.mirror.remove();
  }
}

import { h } from '../dom.js';
import { toIndex } from '../editing/positions.js';
import { paragraphsOf, paragraphAt } from '../drafting.js';
import { paragraphWords } from '../history-words.js';

// Suggestion mode: typing tables an amendment instead of editing. With the toggle on, the editor is
// read-only; a key typed, a paste, Backspace or Delete (or "Propose a change to the selection")
// opens the amendment form on the selection — replace it, insert at the caret, or delete it — with
// the typed text as the start of the replacement, and a justification. "Table the amendment" sends
// TableAmendment on the committed revision the selection was taken in (docs/amendments.md); it
// then stands in the margin beside its paragraph.

export function suggestionMode({ live, proposalId, textarea, getDoc, getBinding, notice, isLocked, onTabled }) {
  let target = null; // { revision, start, end } in ot positions of the committed text
  const toggle = h('input', { type: 'checkbox', id: 'suggest-mode' });
  const what = h('p', { id: 'amendment-target', class: 'small' });
  const replacement = h('textarea', { id: 'amendment-replacement', rows: 2, maxLength: 20000 });
  const justification = h('textarea', { id: 'amendment-justification', rows: 2, maxLength: 2000, required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { id: 'amendment-form', class: 'stack card-inner', hidden: true, 'aria-labelledby': 'amendment-form-title', onSubmit: (e) => { e.preventDefault(); table(); } },
    h('h3', { class: 'h3', id: 'amendment-form-title' }, 'Table an amendment'),
    what,
    h('label', { for: 'amendment-replacement' }, 'Proposed text (leave empty to delete the selection)'), replacement,
    h('label', { for: 'amendment-justification' }, 'Justification'), justification,
    h('div', { class: 'inline' },
      h('button', { type: 'submit', class: 'primary', id: 'amendment-submit' }, 'Table the amendment'),
      h('button', { type: 'button', onClick: () => close() }, 'Cancel')),
    message);
  const proposeButton = h('button', { type: 'button', id: 'suggest-selection', hidden: true, onClick: () => open('') }, 'Propose a change to the selection');
  const control = h('span', { class: 'check suggest-toggle' }, toggle, h('label', { for: 'suggest-mode' }, 'Suggest changes (table amendments instead of editing)'));
  const help = h('p', { id: 'suggest-help', class: 'note small', hidden: true },
    'Suggestion mode: the text is not changed as you type. Select the words to change (or place the caret where to insert) and type: your proposal opens as an amendment, with a justification, for the other delegations to support or oppose and the pen-holder to accept.');

  const setOn = (on) => {
    toggle.checked = on;
    help.hidden = !on;
    proposeButton.hidden = !on;
    textarea.classList.toggle('suggesting', on);
    textarea.readOnly = on || isLocked();
    if (!on) close();
  };
  toggle.addEventListener('change', () => setOn(toggle.checked));

  const open = (typed) => {
    const doc = getDoc();
    const binding = getBinding();
    if (!doc || !binding) return;
    message.textContent = '';
    if (doc.queued > 0) { notice.textContent = 'Your latest edits are still being saved; propose the change once they are.'; return; }
    const [start, end] = binding.selection();
    target = { revision: doc.revision, start, end };
    const quote = doc.text.slice(toIndex(doc.text, start), toIndex(doc.text, end));
    const p = paragraphAt(paragraphsOf(doc.text), toIndex(doc.text, start));
    const where = p?.number ? ` in ${paragraphWords(p.number)}` : '';
    what.replaceChildren(...(quote ? ['Replace or delete ', h('del', {}, quote), where, '.'] : [`Insert at the caret${where}.`]));
    replacement.value = typed;
    form.hidden = false;
    replacement.focus();
    replacement.setSelectionRange(replacement.value.length, replacement.value.length);
  };
  const close = () => { form.hidden = true; target = null; message.textContent = ''; };

  const table = async () => {
    if (!target) return;
    message.textContent = '';
    if (!justification.value.trim()) { message.textContent = 'An amendment needs a justification.'; justification.focus(); return; }
    if (target.start === target.end && replacement.value === '') { message.textContent = 'Type the text to insert, or select the words to replace or delete.'; replacement.focus(); return; }
    try {
      const amendment = await live.invoke('TableAmendment', proposalId, { revision: target.revision, start: target.start, end: target.end, replacement: replacement.value, justification: justification.value.trim() });
      justification.value = '';
      replacement.value = '';
      close();
      onTabled(amendment);
      textarea.focus();
    } catch (error) {
      message.textContent = error.message;
    }
  };

  // While suggesting, keys that would edit open the form instead (the textarea is read-only).
  textarea.addEventListener('keydown', (event) => {
    if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key.length === 1 || event.key === 'Enter') { event.preventDefault(); open(event.key === 'Enter' ? '\n' : event.key); } else if (event.key === 'Backspace' || event.key === 'Delete') { event.preventDefault(); open(''); }
  });
  textarea.addEventListener('paste', (event) => {
    if (!toggle.checked) return;
    event.preventDefault();
    open(event.clipboardData?.getData('text/plain') ?? '');
  });

  return {
    control, help, proposeButton, form,
    /** Offered only to those who may table (a participant while the text may change). */
    setAvailable: (available) => { control.hidden = !available; if (!available && toggle.checked) setOn(false); },
    get on() { return toggle.checked; },
  };
}

import { h } from '../dom.js';
import { diffToOp } from './textarea-binding.js';

// The banner after revision_lost (docs/web-client.md, "When the server lost changes"): the server's
// storage lost changes it had confirmed, and this browser still has the text it showed. Re-apply makes
// the text what this browser showed, as ONE new edit by this delegation: the difference between the
// server's text at that moment and this copy (lost changes of others that this browser had received
// come back with it; whatever was changed on the server since the loss and is not in the copy is
// undone, which the banner says when the server has moved on).

/** Inserted and deleted characters (code points) that turn `from` into `to`. */
export function changeSize(from, to) {
  let inserted = 0;
  let deleted = 0;
  for (const c of diffToOp(from, to)) {
    if (typeof c === 'string') inserted += [...c].length;
    else if (typeof c === 'object') deleted += typeof c.d === 'number' ? c.d : [...c.d].length;
  }
  return { inserted, deleted };
}

/**
 * copy: { text, revision } this browser held; server: the snapshot reloaded after the refusal.
 * reapply(): submit the copy as one edit; dismiss(): keep the server's text.
 */
export function lostChangesBanner({ copy, server, reapply, dismiss }) {
  const first = server.revision < copy.revision ? server.revision + 1 : null;
  const which = first === null ? `revision ${copy.revision} and possibly some before it`
    : first === copy.revision ? `revision ${copy.revision}` : `revisions ${first}–${copy.revision}`;
  const { inserted, deleted } = changeSize(server.text, copy.text);
  const movedOn = server.revision >= copy.revision;
  const result = h('p', { class: 'small', role: 'status' });
  const reapplyButton = h('button', { type: 'button', class: 'primary', id: 'lost-reapply' }, 'Re-apply my copy');
  const keepButton = h('button', { type: 'button', id: 'lost-dismiss' }, 'Keep the server’s text');
  const banner = h('section', { class: 'card lost-changes', id: 'lost-changes', role: 'alertdialog', 'aria-labelledby': 'lost-title', 'aria-describedby': 'lost-what' },
    h('h2', { class: 'h3', id: 'lost-title' }, `The server lost your last changes (${which}). Re-apply them?`),
    h('p', { id: 'lost-what' },
      'The server confirmed these changes, then lost them (its storage went back). This page still has the text as you saw it. ',
      inserted + deleted === 0
        ? 'It is the same as the server’s text now: nothing needs re-applying.'
        : `Re-applying makes the text what you saw, as one new edit by your delegation (${inserted} character${inserted === 1 ? '' : 's'} added, ${deleted} removed). `
          + 'Changes of other delegations that you had received come back with it.'
          + (movedOn ? ' Others have edited since the loss: whatever of theirs is not in your copy would be undone. Check the text afterwards.' : '')),
    h('p', { class: 'actions' }, reapplyButton, ' ', keepButton),
    result);
  reapplyButton.disabled = inserted + deleted === 0;
  reapplyButton.addEventListener('click', () => {
    reapplyButton.disabled = true;
    keepButton.disabled = true;
    reapply();
    banner.remove();
  });
  keepButton.addEventListener('click', () => {
    dismiss();
    banner.remove();
  });
  return banner;
}

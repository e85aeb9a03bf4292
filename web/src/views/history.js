import { h, fill, formatTime, label } from '../dom.js';
import { api } from '../api.js';
import { buildHistory, diffRevisions } from '../revision-diff.js';
import { foldOpen } from './fold.js';
import { statusWords } from '../refusals.js';

// The audit trail (hash-chained; the server verifies it) and the diff between two revisions,
// rebuilt in the browser from the committed edits (GetEditsSince from revision 0) over the text as proposed (GetTextAt 0).

const AUDIT_SHOWN = 12;

/** What the audit's action names mean, in words. */
const ACTIONS = {
  create: 'proposed', edit: 'edited', 'sign-off': 'signed off', 'withdraw-sign-off': 'withdrew a position',
  'sign-offs-stale': 'sign-offs became stale', status: 'status changed', circulate: 'circulated', deadline: 'set the deadline',
  recommend: 'recommended', reopen: 'reopened', adopt: 'recorded adoption', withdraw: 'withdrew the proposal',
};

/**
 * An audit detail for people: a hash as its first characters (the full value in the title),
 * statuses in words, and an activity's or group's id as its name (`nameOf(id)`, null if unknown).
 */
const readable = (text, nameOf = () => null) => String(text).split(/\b([0-9a-f]{16,})\b/).map((part, i) => (i % 2 === 1
  ? h('span', { class: 'hash', title: part }, `${part.slice(0, 10)}…`) : part
    .replace(/\b(Drafting|UnderConsideration|ConsensusReached|Adopted|Blocked|Withdrawn)\b/g, statusWords)
    .replace(/\b[a-z0-9]+(?:-[a-z0-9]+)+\b/g, (id) => (nameOf(id) ? `“${nameOf(id)}”` : id))
    .replace(/ -> /g, ' → ')));

export function historySection({ app, proposalId, live, getRevision, nameOf }) {
  let showAll = false;
  const audit = h('div', { id: 'audit', 'aria-live': 'polite' });
  const verify = h('p', { id: 'audit-verify', role: 'status' });
  const from = h('input', { id: 'diff-from', type: 'number', min: 0, required: true });
  const to = h('input', { id: 'diff-to', type: 'number', min: 0, required: true });
  const diff = h('div', { id: 'diff', class: 'diff', 'aria-live': 'polite' });
  const diffMessage = h('p', { class: 'error', role: 'alert' });

  const refreshAudit = debounce(async () => {
    try {
      const entries = await api(`/api/proposals/${proposalId}/audit`);
      const shown = showAll ? entries : entries.slice(-AUDIT_SHOWN);
      fill(audit, entries.length > AUDIT_SHOWN ? h('p', { class: 'small muted' }, `${showAll ? 'All' : `The latest ${AUDIT_SHOWN} of`} ${entries.length} entries. `,
        h('button', { type: 'button', class: 'link', onClick: () => { showAll = !showAll; refreshAudit(); } }, showAll ? 'Show the latest only' : 'Show all')) : null,
      h('div', { class: 'scroll-x' }, h('table', { class: 'grid audit' },
        h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'What', 'Rev.', 'Detail'].map((t) => h('th', { scope: 'col', class: t === '#' || t === 'Rev.' ? 'hide-narrow' : null }, t)))),
        h('tbody', {}, shown.slice().reverse().map((e) => h('tr', {},
          h('td', { class: 'num hide-narrow' }, e.sequence), h('td', { class: 'small' }, formatTime(e.at)),
          h('td', {}, app.memberName(e.member), String(e.role).toLowerCase() === 'secretariat' ? null : h('span', { class: 'muted small' }, ` (${label(e.role).toLowerCase()})`)),
          h('td', {}, ACTIONS[e.action] ?? e.action.replace(/-/g, ' ')),
          h('td', { class: 'num hide-narrow' }, e.revision), h('td', { class: 'small detail' }, readable(e.detail, nameOf))))))));
    } catch (error) {
      fill(audit, h('p', { class: 'error' }, error.message));
    }
  }, 300);

  const showDiff = async () => {
    diffMessage.textContent = '';
    try {
      // Snapshot first, then the log: the log then covers every revision up to the snapshot's.
      const snapshot = await api(`/api/proposals/${proposalId}`);
      const edits = (await live.invoke('GetEditsSince', proposalId, 0)).filter((e) => e.revision <= snapshot.revision);
      const a = Number(from.value);
      const b = Number(to.value);
      if (a > snapshot.revision || b > snapshot.revision) throw new Error(`Revisions run from 0 to ${snapshot.revision}.`);
      const origin = await live.invoke('GetTextAt', proposalId, 0);
      const historyOf = buildHistory(snapshot.text, snapshot.revision, edits, origin.text);
      const parts = diffRevisions(historyOf, Math.min(a, b), Math.max(a, b));
      const unknown = historyOf.unknownAt(Math.min(a, b));
      fill(diff,
        h('p', { class: 'small muted' }, `From revision ${Math.min(a, b)} to ${Math.max(a, b)}: `,
          h('ins', {}, 'inserted'), ' and ', h('del', {}, 'deleted'), ' text.',
          unknown ? ` ${unknown} character(s) of the initial text were deleted later and are not in the edit log (shown as ·).` : ''),
        h('pre', { class: 'diff-text' }, parts.map((p) => (p.kind === 'same' ? p.text : h(p.kind === 'inserted' ? 'ins' : 'del', {}, p.text)))));
    } catch (error) {
      diffMessage.textContent = error.message;
    }
  };

  // Both fold on a phone (details/summary), under the editor and the sign-offs.
  const element = h('div', {},
    h('details', { class: 'card fold', id: 'compare', 'aria-labelledby': 'diff-title', open: foldOpen() },
      h('summary', {}, h('h2', { id: 'diff-title' }, 'Compare revisions')),
      h('form', { class: 'inline', onSubmit: (e) => { e.preventDefault(); showDiff(); } },
        h('label', { for: 'diff-from' }, 'From'), from,
        h('label', { for: 'diff-to' }, 'to'), to,
        h('button', { type: 'submit', id: 'diff-show' }, 'Show changes'),
        h('button', { type: 'button', onClick: () => { const r = getRevision(); from.value = String(Math.max(0, r - 1)); to.value = String(r); showDiff(); } }, 'Last change')),
      diffMessage, diff),
    h('details', { class: 'card fold', id: 'audit-trail', 'aria-labelledby': 'audit-title', open: foldOpen() },
      h('summary', {}, h('h2', { id: 'audit-title' }, 'Audit trail')),
      h('div', { class: 'inline' },
        h('button', { type: 'button', onClick: refreshAudit }, 'Refresh'),
        h('button', { type: 'button', onClick: async () => {
          try {
            const v = await api(`/api/proposals/${proposalId}/audit/verify`);
            fill(verify, v.intact ? ['Chain intact: ', String(v.entries), ' entries, head ', readable(v.headHash)] : `Chain broken at entry ${v.firstBrokenSequence}: ${v.problem}`);
          } catch (error) {
            verify.textContent = error.message;
          }
        } }, 'Verify chain')),
      verify, audit));

  from.value = '0';
  to.value = '0';
  refreshAudit();
  // "to" follows the latest revision until a person sets it.
  let follow = true;
  to.addEventListener('input', () => { follow = false; });
  const auditLater = debounce(refreshAudit, 1500);
  // Edits are audited too: the trail is read again shortly after the text settles.
  const revisionChanged = (revision) => {
    to.max = String(revision);
    from.max = String(revision);
    if (follow) to.value = String(revision);
    auditLater();
  };
  return { element, refreshAudit, revisionChanged };
}

function debounce(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

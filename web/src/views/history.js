import { h, fill, formatTime, label } from '../dom.js';
import { api } from '../api.js';
import { buildHistory, diffRevisions } from '../revision-diff.js';

// The audit trail (hash-chained; the server verifies it) and the diff between two revisions,
// rebuilt in the browser from the committed edits (GetEditsSince from revision 0) over the text as proposed (GetTextAt 0).

const AUDIT_SHOWN = 12;

export function historySection({ proposalId, live, getRevision }) {
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
        h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'What', 'Rev.', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, shown.slice().reverse().map((e) => h('tr', {},
          h('td', { class: 'num' }, e.sequence), h('td', { class: 'small' }, formatTime(e.at)),
          h('td', {}, `${e.member} (${label(e.role).toLowerCase()})`), h('td', {}, e.action),
          h('td', { class: 'num' }, e.revision), h('td', { class: 'small detail' }, e.detail)))))));
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

  const element = h('div', {},
    h('section', { class: 'card', 'aria-labelledby': 'diff-title' },
      h('h2', { id: 'diff-title' }, 'Compare revisions'),
      h('form', { class: 'inline', onSubmit: (e) => { e.preventDefault(); showDiff(); } },
        h('label', { for: 'diff-from' }, 'From'), from,
        h('label', { for: 'diff-to' }, 'to'), to,
        h('button', { type: 'submit', id: 'diff-show' }, 'Show changes'),
        h('button', { type: 'button', onClick: () => { const r = getRevision(); from.value = String(Math.max(0, r - 1)); to.value = String(r); showDiff(); } }, 'Last change')),
      diffMessage, diff),
    h('section', { class: 'card', 'aria-labelledby': 'audit-title' },
      h('h2', { id: 'audit-title' }, 'Audit trail'),
      h('div', { class: 'inline' },
        h('button', { type: 'button', onClick: refreshAudit }, 'Refresh'),
        h('button', { type: 'button', onClick: async () => {
          try {
            const v = await api(`/api/proposals/${proposalId}/audit/verify`);
            verify.textContent = v.intact ? `Chain intact: ${v.entries} entries, head ${String(v.headHash).slice(0, 12)}…` : `Chain broken at entry ${v.firstBrokenSequence}: ${v.problem}`;
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

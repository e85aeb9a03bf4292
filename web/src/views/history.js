import { h, fill, formatTime } from '../dom.js';
import { api, download } from '../api.js';
import { buildHistory, attributedDiff } from '../revision-diff.js';
import { historyItems, versionNames, serverVersionName } from '../history-words.js';
import { foldOpen } from './fold.js';

// History and versions, one card with two tabs (folded on a phone):
// - History: the audit trail in people's words ("Malaysia edited the text", "Singapore signed off
//   (concur) on the version as circulated on 4 Dec 2026"); its hashes, revisions and raw details
//   only on demand ("Show hashes"), with the chain's verification.
// - Versions: the named versions (as proposed, as circulated, adopted, the pen-holder's own) and
//   the comparison of any two with who inserted and deleted what, rebuilt in the browser from the
//   committed edits (GetEditsSince from revision 0, each with its member) over the text as proposed.
// Revision numbers are the engine's unit: they never show outside "Show hashes".

const SHOWN = 12;

export function historySection({ app, proposalId, live, getRevision, nameOf, getSummary = () => null, onNames = () => {}, versionsSource = null, canName = () => false, annotation = () => null }) {
  let showAll = false;
  let showHashes = false;
  let entries = [];
  let versions = [];
  let names = versionNames([]);
  const audit = h('div', { id: 'audit', 'aria-live': 'polite' });
  const verify = h('p', { id: 'audit-verify', role: 'status' });
  const hashes = h('input', { type: 'checkbox', id: 'show-hashes' });
  const from = h('select', { id: 'diff-from', required: true });
  const to = h('select', { id: 'diff-to', required: true });
  const versionList = h('ul', { id: 'versions', class: 'versions' });
  const diffTitle = h('h3', { id: 'diff-heading', class: 'h3', tabIndex: -1 }, 'Changes');
  const diff = h('div', { id: 'diff', class: 'diff', 'aria-live': 'polite' });
  const diffMessage = h('p', { class: 'error', role: 'alert' });

  const renderAudit = () => {
    const items = historyItems(entries, { memberName: app.memberName, nameOf, versions, annotation });
    const shown = showAll ? items : items.slice(-SHOWN);
    fill(audit,
      items.length > SHOWN ? h('p', { class: 'small muted' }, `${showAll ? 'All' : `The latest ${SHOWN} of`} ${items.length} events. `,
        h('button', { type: 'button', class: 'link', onClick: () => { showAll = !showAll; renderAudit(); } }, showAll ? 'Show the latest only' : 'Show all')) : null,
      items.length === 0 ? h('p', { class: 'muted' }, 'Nothing recorded yet.') : null,
      h('ol', { class: 'history', reversed: true }, shown.slice().reverse().map((item) => h('li', { dataset: { action: item.kind, member: item.member } },
        h('span', { class: 'history-words' }, item.words), item.quote ? [': ', h('q', {}, item.quote)] : null,
        h('div', { class: 'small muted' }, item.until !== item.at ? `${formatTime(item.at)} – ${formatTime(item.until)}` : formatTime(item.at)),
        showHashes ? technical(item.entries) : null))));
  };

  const renderVersions = () => {
    const current = getRevision();
    const points = new Map(names.named().filter((p) => p.revision <= current).map((p) => [p.revision, p.name]));
    // Sign-offs are points people compare from ("what changed since Malaysia signed off").
    const summary = getSummary();
    for (const s of summary?.signOffs ?? []) {
      if (s.position === 'Pending' || s.revision === null || s.revision === undefined || s.revision > current) continue;
      if (!points.has(s.revision)) points.set(s.revision, `${names.nameOf(s.revision)}, signed by ${app.memberName(s.member)}`);
    }
    points.delete(current);
    // "The current draft" is resolved when the comparison is made (the text moves on meanwhile).
    const options = [...[...points].sort((a, b) => a[0] - b[0]).map(([r, name]) => [String(r), name]), ['current', 'the current draft']];
    // A choice a person made is kept; until then each follows its default (the latest version, the current draft).
    const keep = (select, fallback) => {
      const value = select.dataset.chosen ? select.value : fallback;
      fill(select, options.map(([revision, name]) => h('option', { value: revision }, capital(name))));
      select.value = options.some(([r]) => r === value) ? value : fallback;
    };
    keep(from, options.length > 1 ? options[options.length - 2][0] : 'current');
    keep(to, 'current');
    const listed = versions.length > 0 ? versions.filter((v) => v.kind !== 'Current').map((v) => ({ ...v, name: serverVersionName(v) })) : names.named().map((v) => ({ ...v }));
    fill(versionList, listed.length === 0 ? h('li', { class: 'muted' }, 'No version named yet: one is recorded at each circulation, consensus and adoption.')
      : listed.slice().reverse().map((v) => h('li', { dataset: { revision: String(v.revision) } },
        h('span', { class: 'version-name' }, capital(v.name)),
        v.at ? h('span', { class: 'small muted' }, ` — ${formatTime(v.at)}`) : null, ' ',
        v.revision < current ? h('button', { type: 'button', class: 'link small', onClick: () => compare(v.revision) }, 'Compare with the current draft') : h('span', { class: 'small muted' }, '(the current draft)'),
        v.version ? [' · ', h('button', { type: 'button', class: 'link small', dataset: { docx: String(v.version) }, 'aria-label': `Download ${v.name} as a Word document`,
          onClick: () => download(`/api/proposals/${proposalId}/versions/${v.version}/docx`, `${proposalId}-v${v.version}.docx`).catch((error) => { diffMessage.textContent = error.message; }) }, 'Word (.docx)')] : null)),
      canName() ? h('li', { class: 'name-version' }, nameForm()) : null);
  };

  /** "Name this version" (the pen-holder, the Chair): POST /api/proposals/{id}/versions. */
  const nameForm = () => h('form', { class: 'inline', onSubmit: async (e) => {
    e.preventDefault();
    diffMessage.textContent = '';
    const name = e.target.elements.name.value.trim();
    if (!name) return;
    try {
      await api(`/api/proposals/${proposalId}/versions`, { method: 'POST', body: { name } });
      refreshAudit();
    } catch (error) {
      diffMessage.textContent = error.message;
    }
  } },
  h('label', { for: 'version-name' }, 'Name the current draft'), h('input', { id: 'version-name', name: 'name', maxLength: 200, required: true, placeholder: 'e.g. Chair’s revised draft' }),
  h('button', { type: 'submit', id: 'version-name-submit' }, 'Record this version'));

  const refreshAudit = debounce(async () => {
    try {
      entries = await api(`/api/proposals/${proposalId}/audit`);
      if (versionsSource) versions = await versionsSource().catch(() => versions);
      names = versionNames(entries, versions);
      onNames(names);
      renderAudit();
      renderVersions();
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
      const at = (select) => (select.value === 'current' ? snapshot.revision : Number(select.value));
      const a = Math.min(at(from), at(to));
      const b = Math.max(at(from), at(to));
      if (b > snapshot.revision) throw new Error('That version is newer than the text the server holds: try again in a moment.');
      const origin = await live.invoke('GetTextAt', proposalId, 0);
      const historyOf = buildHistory(snapshot.text, snapshot.revision, edits, origin.text);
      const authors = new Map(edits.map((e) => [e.revision, e.member]));
      const parts = attributedDiff(historyOf, a, b, (r) => authors.get(r) ?? null);
      const unknown = historyOf.unknownAt(a);
      const who = [...new Set(parts.filter((p) => p.by).map((p) => p.by))];
      const nameAt = (r) => (r === snapshot.revision ? 'the current draft' : names.nameOf(r));
      fill(diff,
        h('p', { class: 'small muted', id: 'diff-summary' }, `From ${nameAt(a)} to ${nameAt(b)}: `,
          h('ins', {}, 'inserted'), ' and ', h('del', {}, 'deleted'), ' text, each marked with the delegation that changed it',
          who.length ? ` (${who.map(app.memberName).join(', ')})` : ' (no change)', '.',
          unknown ? ` ${unknown} character(s) of the initial text were deleted later and are not in the edit log (shown as ·).` : ''),
        h('pre', { class: 'diff-text' }, parts.map((p) => (p.kind === 'same' ? p.text
          : [h(p.kind === 'inserted' ? 'ins' : 'del', { dataset: { by: p.by ?? '' }, title: `${p.kind === 'inserted' ? 'Inserted' : 'Deleted'} by ${p.by ? app.memberName(p.by) : 'an unknown delegation'}` }, p.text),
            h('span', { class: 'by' }, `[${p.kind === 'inserted' ? '+' : '−'}${p.by ? app.memberName(p.by) : '?'}]`)]))));
    } catch (error) {
      diffMessage.textContent = error.message;
    }
  };

  // Tabs (WAI-ARIA tabs pattern: arrows move between them, only the selected one is in the tab order).
  const panels = {};
  const tabs = [['history', 'History', 'audit-trail'], ['versions', 'Versions and comparison', 'compare']].map(([key, text, panel]) =>
    h('button', { type: 'button', role: 'tab', id: `tab-${key}`, 'aria-controls': panel, dataset: { tab: key }, onClick: () => select(key, true) }, text));
  const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'History and versions', onKeydown: (event) => {
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length].dataset.tab, true);
  } }, tabs);
  const select = (key, focus = false) => {
    for (const tab of tabs) {
      const on = tab.dataset.tab === key;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      panels[tab.dataset.tab].hidden = !on;
      if (on && focus) tab.focus();
    }
  };

  panels.history = h('section', { role: 'tabpanel', id: 'audit-trail', 'aria-labelledby': 'tab-history' },
    h('div', { class: 'inline' },
      h('span', { class: 'check' }, hashes, h('label', { for: 'show-hashes' }, 'Show hashes')),
      h('button', { type: 'button', onClick: refreshAudit }, 'Refresh'),
      h('button', { type: 'button', id: 'audit-verify-button', onClick: async () => {
        try {
          const v = await api(`/api/proposals/${proposalId}/audit/verify`);
          fill(verify, v.intact ? ['The record is intact: all ', String(v.entries), ' entries check out', showHashes ? [' (last hash ', hashOf(v.headHash), ')'] : null, '.']
            : `The record is broken at entry ${v.firstBrokenSequence}: ${v.problem}`);
        } catch (error) {
          verify.textContent = error.message;
        }
      } }, 'Verify the record')),
    verify, audit);
  panels.versions = h('section', { role: 'tabpanel', id: 'compare', 'aria-labelledby': 'tab-versions' },
    h('h3', { class: 'h3' }, 'Versions'), versionList,
    h('h3', { class: 'h3' }, 'Compare two versions'),
    h('form', { class: 'inline', onSubmit: (e) => { e.preventDefault(); showDiff(); } },
      h('label', { for: 'diff-from' }, 'From'), from,
      h('label', { for: 'diff-to' }, 'to'), to,
      h('button', { type: 'submit', id: 'diff-show' }, 'Show changes')),
    diffMessage, diffTitle, diff);
  hashes.addEventListener('change', () => { showHashes = hashes.checked; renderAudit(); });
  for (const select of [from, to]) select.addEventListener('change', () => { select.dataset.chosen = 'true'; });

  const element = h('details', { class: 'card fold', id: 'history-card', 'aria-labelledby': 'history-title', open: foldOpen() },
    h('summary', {}, h('h2', { id: 'history-title' }, 'History and versions')),
    tablist, panels.history, panels.versions);
  select('history');

  /** Opens the Versions tab on the change from `revision` to the current draft (one click from a stale sign-off). */
  const compare = (a, b) => {
    element.open = true;
    select('versions');
    renderVersions();
    from.value = String(a);
    to.value = b === undefined ? 'current' : String(b);
    from.dataset.chosen = 'true';
    to.dataset.chosen = 'true';
    if (from.value !== String(a)) { from.append(h('option', { value: String(a) }, capital(names.nameOf(a)))); from.value = String(a); }
    showDiff().then(() => { diffTitle.scrollIntoView({ block: 'start' }); diffTitle.focus({ preventScroll: true }); });
  };

  refreshAudit();
  const auditLater = debounce(refreshAudit, 1500);
  // Edits are audited too: the trail is read again shortly after the text settles.
  const revisionChanged = () => { auditLater(); };
  return { element, refreshAudit, revisionChanged, compare, select, names: () => names };
}

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

const hashOf = (hash) => h('span', { class: 'hash', title: hash }, `${String(hash).slice(0, 10)}…`);

/** "Show hashes": each raw entry's sequence, revision, detail and chain hash (hashes truncated, full in the title). */
function technical(entries) {
  return h('ul', { class: 'technical small' }, entries.slice(-5).map((e) => h('li', {},
    `#${e.sequence} · ${e.action} · revision ${e.revision} · `,
    String(e.detail).split(/\b([0-9a-f]{16,})\b/).map((part, i) => (i % 2 === 1 ? hashOf(part) : part)),
    ' · hash ', hashOf(e.hash))),
  entries.length > 5 ? h('li', { class: 'muted' }, `… and ${entries.length - 5} earlier entries of this group`) : null);
}

function debounce(fn, ms) {
  let timer = null;
  return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
}

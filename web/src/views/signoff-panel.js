import { h, formatTime } from '../dom.js';
import { api } from '../api.js';
import { positionBadge, signOffOf } from './badges.js';
import { receiptButton, rememberReceipt } from './receipt-download.js';

// One row per participating member: position, the version it was given on (by name), stale marked.
// Only the row of the signed-in delegation has controls, and only for a delegate or the Chair
// of a participating member: there is no way in this UI to sign for another member (and the
// hub's SignOff takes no member at all: the server signs for the caller's own member).

const SIGNABLE = ['UnderConsideration', 'Blocked', 'ConsensusReached'];

const POSITIONS = [
  ['Concur', 'Concur'],
  ['Abstain', 'Abstain (does not block)'],
  ['Object', 'Object (blocks; give a reason)'],
];

export function signOffPanel({ app, live, session, summary, doc, proposalId, names, currentVersion, compareSince }) {
  const current = doc?.revision ?? summary.revision;
  // Versions by name, never by revision number: "this draft", "the version as circulated on 4 Dec 2026".
  const onWhat = (revision) => (revision === current ? currentVersion() : names.nameOf(revision));
  const participant = summary.participants.includes(session.member);
  const closed = summary.status === 'Adopted' || summary.status === 'Withdrawn';
  // Positions are given once the Chair has circulated the text: on a draft the server refuses a
  // sign-off, so there is no form, only why.
  const circulated = SIGNABLE.includes(summary.status);
  const canSign = session.role !== 'secretariat' && participant && !closed && circulated;
  const rows = summary.participants.map((member) => {
    const s = signOffOf(summary, member);
    return h('tr', { dataset: { member, position: s.position, stale: String(Boolean(s.stale)) }, class: member === session.member ? 'mine' : null },
      h('th', { scope: 'row' }, h('abbr', { title: app.memberName(member) }, member)),
      h('td', {}, positionBadge(s.position, s.stale)),
      h('td', { class: 'small' }, s.position === 'Pending' ? '—' : onWhat(s.revision).replace(/^the version /, '')),
      h('td', { class: 'small' }, s.reason ? h('q', {}, s.reason) : '', s.at ? h('div', { class: 'muted' }, formatTime(s.at)) : null));
  });
  const staleCount = summary.signOffs.filter((s) => s.stale).length;
  const concur = summary.signOffs.filter((s) => s.position === 'Concur' && !s.stale).length;
  const objections = summary.signOffs.filter((s) => s.position === 'Object').length;
  const mineStale = summary.signOffs.find((s) => s.member === session.member && s.stale && s.position !== 'Pending') ?? null;
  return [
    // The panel fills a details element (folded on a phone): the summary says how things stand.
    h('summary', {}, h('h2', { id: 'signoffs-title' }, 'Sign-offs'),
      h('span', { class: 'gist', id: 'sign-offs-gist' }, summary.status === 'Drafting' ? ' — not yet circulated'
        : ` — ${concur} of ${summary.participants.length} concur${objections ? `, ${objections} object${objections === 1 ? 's' : ''}` : ''}${staleCount ? `, ${staleCount} stale` : ''}`)),
    staleCount ? h('p', { class: 'small' }, h('strong', { class: 'warn' }, `${staleCount} stale: given on earlier text, to be renewed.`)) : null,
    mineStale && compareSince ? h('p', { class: 'small', id: 'stale-mine' }, `Your sign-off is stale: it was given on ${names.nameOf(mineStale.revision)}. `,
      h('button', { type: 'button', class: 'link', id: 'changed-since-sign-off', onClick: () => compareSince(mineStale.revision) }, 'See what changed since your sign-off')) : null,
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid signoffs' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'Position'), h('th', { scope: 'col' }, 'On'), h('th', { scope: 'col' }, 'Reason'))),
      h('tbody', {}, rows))),
    canSign ? mySignOff({ app, live, session, summary, doc, proposalId, currentVersion }) : h('p', { class: 'muted small', id: 'no-signoff' },
      session.role === 'secretariat' ? 'The secretariat monitors and reports; it never signs off.'
        // A participant of an adopted or withdrawn proposal still is one: its position is final, not absent.
        : closed ? `${summary.status === 'Adopted' ? 'Adopted' : 'Withdrawn'}: the positions above are final${participant ? `, ${app.memberName(session.member)}'s included` : ''}.`
          : !participant ? `${app.memberName(session.member)} is not a participant at this stage.`
            : 'Not yet circulated: positions are given once the Chair circulates this draft for sign-off. Until then, work on the text.'),
  ];
}

function mySignOff({ app, live, session, summary, doc, proposalId, currentVersion }) {
  const mine = signOffOf(summary, session.member);
  const message = h('p', { class: 'error', role: 'alert' });
  const choices = POSITIONS.map(([value, text], i) => h('div', { class: 'radio' },
    h('input', { type: 'radio', name: 'position', id: `position-${value}`, value, checked: mine.position === value || (mine.position === 'Pending' && i === 0) }),
    h('label', { for: `position-${value}` }, text)));
  const reason = h('textarea', { id: 'signoff-reason', rows: 2, maxLength: 2000, value: mine.reason ?? '' });
  const form = h('form', {
    id: 'signoff-form',
    class: 'stack',
    onInput: () => { form.dataset.touched = 'true'; },
    onSubmit: async (event) => {
      event.preventDefault();
      message.textContent = '';
      const position = form.elements.position.value;
      if (doc && doc.queued > 0) { message.textContent = 'Your latest edits are still being saved; sign off once they are.'; return; }
      if (position === 'Object' && !reason.value.trim()) { message.textContent = 'An objection needs a reason.'; reason.focus(); return; }
      try {
        rememberReceipt(proposalId, session.member,
          await live.invoke('SignOff', proposalId, position, reason.value.trim() || null, doc?.revision ?? summary.revision));
        delete form.dataset.touched;
      } catch (error) {
        message.textContent = error.message;
      }
    },
  },
  h('fieldset', {}, h('legend', {}, `Position of ${app.memberName(session.member)}`), choices),
  h('label', { for: 'signoff-reason' }, 'Reason (required for an objection)'), reason,
  h('button', { type: 'submit', class: 'primary', id: 'signoff-submit' }, mine.stale ? 'Renew on the current draft'
    : ['Sign off on ', h('span', { 'data-live-version': '' }, currentVersion())]),
  mine.position !== 'Pending' ? h('button', {
    type: 'button',
    id: 'signoff-withdraw',
    onClick: async () => {
      message.textContent = '';
      try {
        rememberReceipt(proposalId, session.member, await api(`/api/proposals/${proposalId}/sign-offs/${session.member}`, { method: 'DELETE' }));
      } catch (error) {
        message.textContent = error.message;
      }
    },
  }, 'Withdraw my position') : null,
  receiptButton({ proposalId, member: session.member, hasPosition: mine.position !== 'Pending', onError: (text) => { message.textContent = text; } }),
  message);
  return h('div', { class: 'my-signoff' }, form);
}

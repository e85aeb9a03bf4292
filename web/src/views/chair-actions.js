import { h } from '../dom.js';
import { api } from '../api.js';

// What the Chair (and, for some, the proposer or the group coordinator) can do to a proposal's
// workflow. Each control is offered only to those the server allows (docs/domain.md):
//   circulate, deadline, adoption, reopen — the Chair holding the chairmanship now;
//   recommend — the group's coordinator (a delegate or chair token of that member) or the Chair;
//   withdraw — the proposing delegation or the Chair.
// The server checks every call again and its refusal is shown next to the control.

/** Does this session hold Chair rights now (chair role and member holding the chairmanship)? */
export const hasChairRights = (app, session) => session.role === 'chair' && app.chair === session.member;

/**
 * The controls open to this session on this proposal, or null when none is.
 * `coordinator`: the member coordinating the proposal's ad-hoc group (from GET /api/groups/{id}),
 * or null while unknown: Recommend is then offered to the Chair only.
 */
// message: where a refusal is shown; a page that re-renders this form on every push passes an
// element of its own, which outlives the form (the form's own would be lost with it).
export function workflowActions({ app, session, summary, coordinator = null, onDone, message: shown = null, idPrefix = 'wf' }) {
  const chair = hasChairRights(app, session);
  // The secretariat never changes anything; delegate and chair tokens act for their own member.
  const acting = session.role === 'delegate' || session.role === 'chair';
  const proposer = acting && summary.proposer === session.member;
  const coordinating = acting && Boolean(coordinator) && coordinator === session.member;
  const message = shown ?? h('p', { class: 'error', role: 'alert' });
  const done = h('p', { class: 'ok', role: 'status' });
  const id = (name) => `${idPrefix}-${summary.proposalId}-${name}`;
  const run = async (what, path, body) => {
    message.textContent = '';
    done.textContent = '';
    try {
      await api(`/api/proposals/${summary.proposalId}/${path}`, { method: path === 'deadline' ? 'PUT' : 'POST', body });
      // onDone gets the word: the page re-renders this form on the change's own push, so a
      // message kept here would be lost with it.
      if (onDone) onDone(what); else done.textContent = `${what}: done.`;
    } catch (error) {
      message.textContent = `${what}: ${error.message}`;
    }
  };

  const parts = [];
  const status = summary.status;
  if (chair && ['Drafting', 'UnderConsideration', 'Blocked'].includes(status)) {
    const rule = h('select', { id: id('rule') },
      h('option', { value: 'Unanimity' }, 'Unanimity'),
      h('option', { value: 'NoObjection' }, 'No objection (with quorum)'),
      h('option', { value: 'SilenceProcedure' }, 'Silence procedure (needs a deadline)'));
    const quorum = h('input', { id: id('quorum'), type: 'number', min: 1, max: 100, placeholder: 'e.g. 6' });
    const deadline = h('input', { id: id('deadline'), type: 'datetime-local' });
    // Circulating a text with open brackets needs the Chair's reason (docs/drafting.md); offered when the summary says so.
    const bracketed = summary.drafting?.bracketed ?? [];
    const override = h('input', { id: id('override'), maxLength: 2000, placeholder: 'only if brackets are open' });
    parts.push(h('form', {
      class: 'action-form',
      onSubmit: (e) => {
        e.preventDefault();
        run('Circulate', 'circulate', {
          rule: rule.value,
          quorum: quorum.value ? Number(quorum.value) : null,
          deadline: deadline.value ? new Date(deadline.value + 'Z').toISOString() : null,
          // Only when given: a server without the drafting rules refuses unknown fields.
          ...(override.value.trim() ? { openBracketsOverride: override.value.trim() } : {}),
        });
      },
    },
    h('fieldset', {}, h('legend', {}, status === 'Drafting' ? 'Circulate for sign-off' : 'Circulate again'),
      h('label', { for: id('rule') }, 'Consensus rule'), rule,
      h('label', { for: id('quorum') }, 'Quorum of concurrences (no-objection rule)'), quorum,
      h('label', { for: id('deadline') }, 'Deadline (UTC)'), deadline,
      h('label', { for: id('override') }, bracketed.length ? `Reason to circulate with open brackets (${bracketed.join(', ')})` : 'Reason to circulate with open brackets, if any'), override,
      h('button', { type: 'submit', class: 'primary' }, 'Circulate'))));
  }
  if (chair && status === 'UnderConsideration') {
    const deadline = h('input', { id: id('move-deadline'), type: 'datetime-local', required: true });
    parts.push(h('form', { class: 'action-form', onSubmit: (e) => { e.preventDefault(); run('Deadline', 'deadline', { deadline: new Date(deadline.value + 'Z').toISOString() }); } },
      h('fieldset', {}, h('legend', {}, 'Set or move the deadline'),
        h('label', { for: id('move-deadline') }, 'New deadline (UTC)'), deadline,
        h('button', { type: 'submit' }, 'Set deadline'))));
  }
  if (chair && status === 'ConsensusReached' && summary.level === 'AllMembers') {
    const occasion = h('input', { id: id('occasion'), required: true, placeholder: 'e.g. 59th AMM, Kuala Lumpur' });
    parts.push(h('form', { class: 'action-form', onSubmit: (e) => { e.preventDefault(); run('Adoption', 'adoption', { occasion: occasion.value }); } },
      h('fieldset', {}, h('legend', {}, 'Record adoption'),
        h('label', { for: id('occasion') }, 'Occasion'), occasion,
        h('button', { type: 'submit', class: 'primary' }, 'Record adoption'))));
  }
  const notes = [];
  if (status === 'ConsensusReached' && summary.level === 'Group') {
    if (chair || coordinating) {
      parts.push(h('button', { type: 'button', id: id('recommend'), onClick: () => run('Recommend', 'recommend') }, 'Recommend to all members'));
    } else if (acting && coordinator) {
      notes.push(h('p', { class: 'muted small', id: id('recommend-who') },
        `The group has reached consensus: its coordinator, ${app.memberName(coordinator)}, or the Chair recommends it to all members.`));
    }
  }
  if (chair && status === 'ConsensusReached') {
    parts.push(h('button', { type: 'button', onClick: () => run('Reopen', 'reopen', { reason: 'Reopened for drafting by the Chair' }) }, 'Reopen drafting'));
  }
  if ((chair || proposer) && !['Adopted', 'Withdrawn'].includes(status)) {
    parts.push(h('button', { type: 'button', class: 'danger', id: id('withdraw'), onClick: () => { if (confirm('Withdraw this proposal? This is final.')) run('Withdraw', 'withdraw', { reason: 'Withdrawn by ' + session.member }); } }, 'Withdraw proposal'));
  }
  if (parts.length === 0) return notes.length ? h('div', { class: 'workflow-actions' }, notes) : null;
  return h('div', { class: 'workflow-actions' }, parts, notes, shown ? null : message, done);
}

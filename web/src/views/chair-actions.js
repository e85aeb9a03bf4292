import { h } from '../dom.js';
import { api } from '../api.js';

// What the Chair (and, for some, the proposer or the group coordinator) can do to a proposal's
// workflow. Shown only to those who may; the server checks again and its refusal is shown.

/** Does this session hold Chair rights now (chair role and member holding the chairmanship)? */
export const hasChairRights = (app, session) => session.role === 'chair' && app.chair === session.member;

export function workflowActions({ app, session, summary, onDone, idPrefix = 'wf' }) {
  const chair = hasChairRights(app, session);
  const acting = session.role !== 'secretariat';
  const message = h('p', { class: 'error', role: 'alert' });
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
    parts.push(h('form', {
      class: 'action-form',
      onSubmit: (e) => {
        e.preventDefault();
        run('Circulate', 'circulate', {
          rule: rule.value,
          quorum: quorum.value ? Number(quorum.value) : null,
          deadline: deadline.value ? new Date(deadline.value + 'Z').toISOString() : null,
        });
      },
    },
    h('fieldset', {}, h('legend', {}, status === 'Drafting' ? 'Circulate for sign-off' : 'Circulate again'),
      h('label', { for: id('rule') }, 'Consensus rule'), rule,
      h('label', { for: id('quorum') }, 'Quorum of concurrences (no-objection rule)'), quorum,
      h('label', { for: id('deadline') }, 'Deadline (UTC)'), deadline,
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
  if (acting && status === 'ConsensusReached' && summary.level === 'Group') {
    parts.push(h('button', { type: 'button', onClick: () => run('Recommend', 'recommend') }, 'Recommend to all members'));
  }
  if (chair && status === 'ConsensusReached') {
    parts.push(h('button', { type: 'button', onClick: () => run('Reopen', 'reopen', { reason: 'Reopened for drafting by the Chair' }) }, 'Reopen drafting'));
  }
  if (acting && (chair || summary.proposer === session.member) && !['Adopted', 'Withdrawn'].includes(status)) {
    parts.push(h('button', { type: 'button', class: 'danger', onClick: () => { if (confirm('Withdraw this proposal? This is final.')) run('Withdraw', 'withdraw', { reason: 'Withdrawn by ' + session.member }); } }, 'Withdraw proposal'));
  }
  if (parts.length === 0) return null;
  return h('div', { class: 'workflow-actions' }, parts, message, done);
}

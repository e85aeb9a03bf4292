import { h, fill, formatTime, label } from '../dom.js';
import { api } from '../api.js';
import { statusBadge, positionBadge, signOffOf, DEADLINE_SOON_MS } from './badges.js';

// The delegation's workspace: what awaits it (live), the proposals it can see, the six
// components with their activities, the ad-hoc groups, and a form to propose a new measure.

export function workspaceView({ app, live, session, navigate }) {
  const todo = h('div', { id: 'todo', 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  const proposals = h('div', { id: 'proposals' }, h('p', {}, 'Loading…'));
  const plan = h('div', { id: 'plan' });
  const groups = h('div', { id: 'groups' });
  const form = h('div', { id: 'new-proposal' });
  const error = h('p', { class: 'error', role: 'alert' });
  const element = h('section', { class: 'workspace' },
    h('h1', {}, session.role === 'secretariat' ? 'ASEAN Secretariat' : `Workspace — ${app.memberName(session.member)}`),
    error,
    h('div', { class: 'columns' },
      h('div', { class: 'col-main' },
        session.role !== 'secretariat' ? h('section', { class: 'card', 'aria-labelledby': 'todo-title' }, h('h2', { id: 'todo-title' }, 'My to-do'), todo) : null,
        h('section', { class: 'card', 'aria-labelledby': 'proposals-title' }, h('h2', { id: 'proposals-title' }, 'Proposals'), proposals),
        session.role !== 'secretariat' ? h('section', { class: 'card', 'aria-labelledby': 'new-title' }, h('h2', { id: 'new-title' }, 'Propose a new measure'), form) : null),
      h('div', { class: 'col-side' },
        h('section', { class: 'card', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, 'Plan of Action'), plan),
        h('section', { class: 'card', 'aria-labelledby': 'groups-title' }, h('h2', { id: 'groups-title' }, 'Ad-hoc groups'), groups))));

  let list = [];
  let activities = [];
  let components = [];
  let charters = [];

  const renderProposals = () => {
    if (list.length === 0) { fill(proposals, h('p', {}, 'No proposals yet.')); return; }
    const sorted = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    fill(proposals, h('div', { class: 'scroll-x' }, h('table', { class: 'grid' },
      h('caption', { class: 'sr-only' }, 'Proposals you can see'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col', class: 'hide-narrow' }, 'Activity'), h('th', { scope: 'col' }, 'Status'),
        session.role === 'secretariat' ? null : h('th', { scope: 'col' }, 'My position'))),
      h('tbody', {}, sorted.map((p) => {
        const mine = signOffOf(p, session.member);
        return h('tr', { dataset: { proposal: p.proposalId } },
          h('td', {}, h('a', { href: `#/proposals/${p.proposalId}` }, p.title), p.group ? h('span', { class: 'muted' }, ` · ${charters.find((g) => g.groupId === p.group)?.name ?? 'ad-hoc group'}`) : null),
          h('td', { class: 'hide-narrow' }, activityTitle(p.activity)),
          h('td', {}, statusBadge(p.status)),
          session.role === 'secretariat' ? null : h('td', {}, !p.participants.includes(session.member) ? h('span', { class: 'muted' }, 'not a participant')
            : p.status === 'Drafting' && mine.position === 'Pending' ? h('span', { class: 'muted' }, 'not yet circulated')
              : positionBadge(mine.position, mine.stale)));
      })))));
  };

  const renderGroups = (charters) => {
    fill(groups, charters.length === 0 ? h('p', { class: 'muted' }, 'The AMM has set up no ad-hoc group yet.') : h('ul', { class: 'groups' }, charters.map((g) => {
      const mine = g.allMembers || g.participants.includes(session.member);
      return h('li', { dataset: { group: g.groupId } }, h('a', { href: `#/groups/${g.groupId}` }, g.name),
        h('div', { class: 'small muted' }, `coordinator ${app.memberName(g.coordinator)} · ${g.allMembers ? 'all members' : `${g.participants.length} participants`}${mine && session.role !== 'secretariat' ? ' · yours' : ''}`));
    })));
  };

  const activityTitle = (id) => activities.find((a) => a.id === id)?.title ?? id;

  const renderToDo = (value) => {
    const items = value?.items ?? [];
    if (items.length === 0) { fill(todo, h('p', {}, 'Nothing awaits your delegation.')); return; }
    const now = Date.now();
    fill(todo, h('ul', { class: 'todo' }, items.map((item) => {
      const soon = item.deadline && new Date(item.deadline).getTime() - now < DEADLINE_SOON_MS;
      return h('li', { dataset: { proposal: item.proposalId, kind: item.kind } },
        h('a', { href: `#/proposals/${item.proposalId}` }, item.title), ' — ',
        item.kind === 'RenewSignOff'
          ? h('strong', { class: 'warn' }, `renew your stale ${label(item.stalePosition ?? 'sign-off').toLowerCase()} (the text changed since)`)
          : item.kind === 'Mention' ? h('strong', {}, `${item.by ? app.memberName(item.by) : 'a delegation'} mentioned you in a discussion`)
            : h('strong', {}, 'needs your sign-off'),
        item.deadline ? h('span', { class: soon ? 'deadline soon' : 'deadline' }, ` · deadline ${formatTime(item.deadline)}${soon ? ' (soon)' : ''}`) : null);
    })));
  };

  const renderPlan = () => {
    fill(plan, components.map((c) => {
      const own = activities.filter((a) => a.component === c.id);
      const count = list.filter((p) => p.component === c.id).length;
      return h('details', { class: 'component' },
        h('summary', {}, `${c.number}. ${c.title}`, h('span', { class: 'muted' }, ` — ${count} proposal${count === 1 ? '' : 's'}`)),
        h('ul', {}, own.map((a) => h('li', {}, a.title, h('span', { class: 'muted' }, ` (${list.filter((p) => p.activity === a.id).length})`)))));
    }));
  };

  const renderForm = () => {
    if (session.role === 'secretariat') return;
    const activity = h('select', { id: 'new-activity', name: 'activity', required: true },
      components.map((c) => h('optgroup', { label: `${c.number}. ${c.title}` },
        activities.filter((a) => a.component === c.id).map((a) => h('option', { value: a.id }, a.title)))));
    const title = h('input', { id: 'new-title-input', name: 'title', required: true, maxLength: 200 });
    const text = h('textarea', { id: 'new-text', name: 'text', rows: 4 });
    // Only the groups this delegation takes part in: the server refuses a draft in any other.
    const mine = charters.filter((g) => g.allMembers || g.participants.includes(session.member));
    const group = h('select', { id: 'new-group', name: 'group' },
      h('option', { value: '' }, 'None: a draft for all members'),
      mine.map((g) => h('option', { value: g.groupId }, g.name)));
    const message = h('p', { class: 'error', role: 'alert' });
    fill(form, h('form', {
      class: 'stack',
      onSubmit: async (event) => {
        event.preventDefault();
        message.textContent = '';
        try {
          // Created empty, then the text goes in as revision 1: the edit log then holds the
          // whole history and every revision can be compared (see revision-diff.js).
          const created = await api('/api/proposals', { method: 'POST', body: { activity: activity.value, title: title.value, text: '', group: group.value || null } });
          if (text.value) await api(`/api/proposals/${created.id}/edits`, { method: 'POST', body: { baseRevision: created.revision, op: [text.value] } });
          event.target.reset();
          navigate(`#/proposals/${created.id}`);
        } catch (error) {
          message.textContent = error.message;
        }
      },
    },
    h('label', { for: 'new-activity' }, 'Activity'), activity,
    h('label', { for: 'new-title-input' }, 'Title'), title,
    h('label', { for: 'new-text' }, 'Text'), text,
    h('label', { for: 'new-group' }, 'Ad-hoc group (the draft stays within the group until it recommends it)'), group,
    mine.length === 0 ? h('p', { class: 'small muted', id: 'new-group-none' }, `${app.memberName(session.member)} takes part in no ad-hoc group.`) : null,
    h('button', { type: 'submit', class: 'primary' }, 'Propose'), message));
  };

  const load = async () => {
    try {
      [components, activities, list, charters] = await Promise.all([api('/api/components'), api('/api/activities'), api('/api/proposals'), api('/api/groups')]);
      renderProposals();
      renderGroups(charters);
      renderPlan();
      renderForm();
      if (session.role !== 'secretariat') renderToDo(await api(`/api/members/${session.member}/todo`));
    } catch (e) {
      error.textContent = e.message;
    }
  };
  load();

  const offToDo = live.on('ToDoChanged', (message) => { if (message.member === session.member) renderToDo(message.toDo); });
  const offUpdated = live.on('ProposalUpdated', (message) => {
    const i = list.findIndex((p) => p.proposalId === message.proposalId);
    if (i >= 0 && list[i].version > message.summary.version) return;
    if (i >= 0) list[i] = message.summary; else list.push(message.summary);
    renderProposals();
  });
  // After a reconnect, whatever changed meanwhile is read again.
  const offResubscribe = live.resubscribe(async () => { if (live.state !== 'connecting') await load(); });
  return { element, dispose: () => { offToDo(); offUpdated(); offResubscribe(); } };
}

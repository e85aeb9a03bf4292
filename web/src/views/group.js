import { h, fill, formatTime } from '../dom.js';
import { api } from '../api.js';
import { statusBadge, positionBadge, signOffOf } from './badges.js';

// An ad-hoc group: its charter (any member may read it) and consensus per assigned proposal
// (participants, the Chair and the secretariat), kept live by GroupConsensusChanged.

export function groupView({ app, live }, groupId) {
  const title = h('h1', {}, 'Ad-hoc group');
  const charter = h('section', { class: 'card', id: 'charter', 'aria-labelledby': 'charter-title' });
  const consensus = h('section', { class: 'card', id: 'group-consensus', 'aria-labelledby': 'consensus-title' });
  const element = h('section', { class: 'group' }, h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← Workspace')), title, charter, consensus);
  let info = null;
  const activityTitle = (id) => app.activityTitle(id) ?? 'an activity of the Plan';
  let rows = [];

  const renderConsensus = () => {
    const participants = info?.participants ?? [];
    fill(consensus, h('h2', { id: 'consensus-title' }, 'Consensus per proposal'),
      rows.length === 0 ? h('p', { class: 'muted' }, 'No proposal is assigned to this group yet.') : h('div', { class: 'scroll-x' }, h('table', { class: 'grid matrix' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Proposal'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Group consensus'),
          participants.map((m) => h('th', { scope: 'col' }, h('abbr', { title: app.memberName(m) }, m))))),
        h('tbody', {}, rows.map((p) => h('tr', { dataset: { proposal: p.proposalId } },
          h('th', { scope: 'row' }, h('a', { href: `#/proposals/${p.proposalId}` }, p.title)),
          h('td', {}, statusBadge(p.status), p.recommended ? h('div', { class: 'small' }, 'recommended to all members') : null),
          h('td', {}, p.groupConsensus ? h('strong', { class: 'ok' }, '✓ reached') : h('span', {}, 'not yet')),
          participants.map((m) => { const s = signOffOf({ signOffs: p.groupSignOffs }, m); return h('td', {}, positionBadge(s.position, s.stale)); })))))));
  };

  const load = async () => {
    try {
      info = await api(`/api/groups/${groupId}`);
      // Titles, not ids: read the activities again if the group names one added since.
      if (info.activities.some((a) => !app.activityTitle(a))) await app.loadActivities().catch(() => {});
      title.textContent = info.name;
      fill(charter, h('h2', { id: 'charter-title' }, 'Charter'),
        h('dl', { class: 'facts' },
          h('dt', {}, 'Mandate'), h('dd', { id: 'group-mandate' }, info.mandate),
          h('dt', {}, 'Coordinator'), h('dd', { id: 'group-coordinator' }, `${app.memberName(info.coordinator)} (${info.coordinator})`),
          h('dt', {}, 'Participants'), h('dd', { id: 'group-participants' }, info.allMembers ? 'All members' : app.byName(info.participants).map((m) => `${app.memberName(m)} (${m})`).join(', ')),
          h('dt', {}, 'Activities'), h('dd', { id: 'group-activities' }, info.activities.map(activityTitle).join('; ')),
          h('dt', {}, 'Set up'), h('dd', {}, `by ${app.memberName(info.setUpBy)}, ${formatTime(info.setUpAt)}`)));
    } catch (error) {
      fill(charter, h('p', { class: 'error', role: 'alert' }, error.status === 404 ? 'There is no such ad-hoc group: the link may be wrong.' : error.message));
      return;
    }
    try {
      rows = await api(`/api/groups/${groupId}/consensus`);
      renderConsensus();
    } catch (error) {
      fill(consensus, h('h2', { id: 'consensus-title' }, 'Consensus per proposal'),
        h('p', { class: 'muted' }, error.code === 'forbidden' ? 'Only the group\'s participants, the Chair and the secretariat see its drafts until the group recommends them.' : error.message));
    }
  };
  load();

  const off = live.on('GroupConsensusChanged', (m) => {
    if (m.groupId !== groupId) return;
    const i = rows.findIndex((r) => r.proposalId === m.proposal.proposalId);
    if (i >= 0 && rows[i].version > m.proposal.version) return;
    if (i >= 0) rows[i] = m.proposal; else rows.push(m.proposal);
    renderConsensus();
  });
  const offResubscribe = live.resubscribe(async () => { if (live.state !== 'connecting') await load(); });
  return { element, dispose: () => { off(); offResubscribe(); } };
}


import { h, fill, formatTime } from '../dom.js';
import { api } from '../api.js';
import { statusBadge, signOffOf, isOverdue } from './badges.js';
import { progressChart } from './chart.js';
import { workflowActions, hasChairRights } from './chair-actions.js';
import { groupSetUpForm } from './group-setup.js';
import { mergeSummaries, newerOverview, rememberPushed } from './freshest.js';
import { statusWords } from '../refusals.js';
import { paragraphsWords } from '../history-words.js';

// The Chair's (and the Secretariat's) dashboard: a live matrix of members × proposals,
// progress per component, overdue and blocked lists, the workflow actions and the annual report.

const MARK = { Pending: '…', Concur: '✓', Abstain: '○', Object: '✗' };

export function dashboardView({ app, live, session }) {
  const chairNote = h('p', { id: 'chair-note', class: 'note' });
  const error = h('p', { class: 'error', role: 'alert' });
  const matrix = h('div', { id: 'matrix', class: 'scroll-x' });
  const chart = h('div', { id: 'progress-chart' });
  const overdue = h('ul', { id: 'overdue' });
  const blocked = h('ul', { id: 'blocked' });
  const incidents = h('ul', { id: 'integrity-incidents' });
  let incidentList = [];
  const drafting = h('div', { id: 'drafting-overview', class: 'scroll-x' });
  const members = h('div', { id: 'member-progress' });
  const manage = h('div', { id: 'manage' });
  const select = h('select', { id: 'manage-proposal' });
  const updated = h('p', { class: 'small muted', id: 'dashboard-updated', 'aria-live': 'polite' });
  const chair = hasChairRights(app, session);
  const element = h('section', { class: 'dashboard' },
    h('h1', {}, session.role === 'secretariat' ? 'Secretariat dashboard' : chair ? 'Chair dashboard' : 'Dashboard'),
    chairNote, error, updated,
    h('section', { class: 'card', 'aria-labelledby': 'incidents-title' }, h('h2', { id: 'incidents-title' }, 'Integrity incidents'), incidents),
    h('section', { class: 'card', 'aria-labelledby': 'matrix-title' },
      h('h2', { id: 'matrix-title' }, 'Sign-offs: members × proposals'),
      h('p', { class: 'small muted legend' }, '✓ concur · ○ abstain · ✗ object · … pending · ', h('span', { class: 'stale-sample' }, 'stale'), ' = given on earlier text · ',
        h('span', { class: 'overdue-sample' }, 'overdue'), ' = pending after the deadline · · = not yet circulated · blank = not a participant'),
      matrix),
    h('div', { class: 'columns' },
      h('div', { class: 'col-main' },
        h('section', { class: 'card', 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, 'Progress per component'), chart),
        // Only the Chair circulates, moves deadlines and records adoption: nobody else sees the card.
        chair ? h('section', { class: 'card', 'aria-labelledby': 'manage-title' }, h('h2', { id: 'manage-title' }, 'Circulate, deadlines, adoption'),
          h('label', { for: 'manage-proposal' }, 'Proposal'), select, manage) : null,
        chair ? h('section', { class: 'card', 'aria-labelledby': 'setup-title' }, h('h2', { id: 'setup-title' }, 'Set up an ad-hoc group'), groupSetUpForm({ app })) : null),
      h('div', { class: 'col-side' },
        h('section', { class: 'card', 'aria-labelledby': 'overdue-title' }, h('h2', { id: 'overdue-title' }, 'Overdue'), overdue),
        h('section', { class: 'card', 'aria-labelledby': 'blocked-title' }, h('h2', { id: 'blocked-title' }, 'Blocked'), blocked),
        h('section', { class: 'card', 'aria-labelledby': 'drafting-overview-title' }, h('h2', { id: 'drafting-overview-title' }, 'Open brackets and ad referendum'), drafting),
        h('section', { class: 'card', 'aria-labelledby': 'members-title' }, h('h2', { id: 'members-title' }, 'Per member'), members),
        // The report is the Chair's (holding the chairmanship now) and the secretariat's: a chair
        // token of another member would be refused, so it is not offered the download.
        chair || session.role === 'secretariat'
          ? h('section', { class: 'card', 'aria-labelledby': 'report-title' }, h('h2', { id: 'report-title' }, 'Annual report to the Summit'), reportForm()) : null)));

  chairNote.textContent = session.role === 'secretariat'
    ? 'The Secretary-General assists the Chair in monitoring progress. The secretariat reads and reports; it does not circulate or sign.'
    : chair ? `${app.memberName(session.member)} holds the ASEAN chairmanship.`
      : `${app.chair ? app.memberName(app.chair) : 'No member'} holds the chairmanship now: this chair token of ${app.memberName(session.member)} grants no Chair rights.`;

  let proposals = [];
  let overview = null;

  const render = () => {
    const active = proposals.filter((p) => p.status !== 'Withdrawn').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const codes = app.members.map((m) => m.code);
    const now = Date.now();
    fill(matrix, active.length === 0 ? h('p', { class: 'muted' }, 'No proposals yet.') : h('table', { class: 'grid matrix' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Proposal'), h('th', { scope: 'col' }, 'Status'),
        codes.map((c) => h('th', { scope: 'col' }, h('abbr', { title: app.memberName(c) }, c))))),
      h('tbody', {}, active.map((p) => h('tr', { dataset: { proposal: p.proposalId } },
        h('th', { scope: 'row' }, h('a', { href: `#/proposals/${p.proposalId}` }, p.title), p.deadline ? h('div', { class: 'small muted' }, `deadline ${formatTime(p.deadline)}`) : null),
        h('td', {}, statusBadge(p.status)),
        codes.map((c) => {
          if (!p.participants.includes(c)) return h('td', { class: 'cell-none', dataset: { member: c } }, h('span', { class: 'sr-only' }, 'not a participant'));
          const s = signOffOf(p, c);
          if (p.status === 'Drafting' && s.position === 'Pending') {
            return h('td', { class: 'cell cell-drafting', dataset: { member: c, position: 'Pending', stale: 'false', overdue: 'false' } },
              h('span', { 'aria-hidden': 'true' }, '·'), h('span', { class: 'sr-only' }, 'not yet circulated'));
          }
          const late = s.position === 'Pending' && isOverdue(p, now);
          const text = `${s.position}${s.stale ? ', stale' : ''}${late ? ', overdue' : ''}`;
          return h('td', { class: `cell position-${s.position}${s.stale ? ' stale' : ''}${late ? ' overdue' : ''}`, title: `${c}: ${text}${s.revision ? ` (rev. ${s.revision})` : ''}`,
            dataset: { member: c, position: s.position, stale: String(Boolean(s.stale)), overdue: String(late) } },
          h('span', { 'aria-hidden': 'true' }, MARK[s.position]), h('span', { class: 'sr-only' }, text));
        }))))));
    const late = proposals.filter((p) => isOverdue(p, now));
    fill(overdue, late.length ? late.map((p) => h('li', {}, h('a', { href: `#/proposals/${p.proposalId}` }, p.title), ` — deadline ${formatTime(p.deadline)}, `,
      `${app.byName(p.participants.filter((m) => signOffOf(p, m).position === 'Pending' || signOffOf(p, m).stale)).map(app.memberName).join(', ') || 'nobody'} pending`)) : h('li', { class: 'muted' }, 'Nothing overdue.'));
    const stuck = proposals.filter((p) => p.status === 'Blocked');
    // Open brackets and ad-referendum paragraphs per proposal (the summary's `drafting`, docs/api.md).
    const open = active.filter((p) => p.drafting && (p.drafting.openBrackets > 0 || p.drafting.problems > 0 || p.drafting.adReferendum?.length || p.drafting.reopened?.length));
    fill(drafting, open.length === 0 ? h('p', { class: 'muted' }, 'No open brackets and no paragraph awaiting a capital.') : h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Proposal', 'Bracketed', 'Ad referendum'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, open.map((p) => h('tr', { dataset: { proposal: p.proposalId } },
        h('td', {}, h('a', { href: `#/proposals/${p.proposalId}` }, p.title)),
        h('td', { dataset: { bracketed: (p.drafting.bracketed ?? []).join(',') } }, p.drafting.bracketed?.length ? `${paragraphsWords(p.drafting.bracketed)} (${p.drafting.openBrackets} passage${p.drafting.openBrackets === 1 ? '' : 's'})` : '—',
          p.drafting.problems ? h('div', { class: 'small warn' }, `${p.drafting.problems} unbalanced bracket${p.drafting.problems === 1 ? '' : 's'}`) : null),
        h('td', { dataset: { adReferendum: (p.drafting.adReferendum ?? []).join(',') } }, p.drafting.adReferendum?.length ? paragraphsWords(p.drafting.adReferendum) : '—',
          p.drafting.reopened?.length ? h('div', { class: 'small warn' }, `reopened: ${paragraphsWords(p.drafting.reopened)}`) : null))))));
    fill(blocked, stuck.length ? stuck.map((p) => h('li', {}, h('a', { href: `#/proposals/${p.proposalId}` }, p.title), ' — objection by ',
      p.signOffs.filter((s) => s.position === 'Object').map((s) => `${app.memberName(s.member)}${s.reason ? ` (“${s.reason}”)` : ''}`).join(', '))) : h('li', { class: 'muted' }, 'Nothing blocked.'));
    if (chair) renderManage();
  };

  // Open incidents of the integrity registry (GET /api/integrity/incidents, IntegrityIncident pushes).
  const renderIncidents = () => {
    const open = incidentList.filter((i) => i.open);
    fill(incidents, open.length ? open.map((i) => h('li', { class: 'warn', dataset: { incident: i.id } },
      `${i.kind} — `, i.proposalId ? h('a', { href: `#/proposals/${i.proposalId}` }, i.proposalId) : 'cluster',
      ` at ${i.location}: ${i.detail}${i.holds ? ' (on integrity hold until the secretariat acknowledges it)' : ''} · ${formatTime(i.detectedAt)}`))
      : h('li', { class: 'muted' }, 'No open integrity incident.'));
  };

  const renderOverview = () => {
    if (!overview) return;
    updated.textContent = `Updated ${formatTime(overview.at)}`;
    fill(chart, progressChart(overview.components));
    fill(members, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Member', 'Pending', 'Stale', 'Objections'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, app.byName(overview.members.map((m) => m.member)).map((code) => overview.members.find((m) => m.member === code)).map((m) => h('tr', {}, h('th', { scope: 'row' }, app.memberName(m.member)), h('td', { class: 'num' }, m.pendingSignOffs), h('td', { class: 'num' }, m.staleSignOffs), h('td', { class: 'num' }, m.objections))))));
  };

  const renderManage = () => {
    const chosen = select.value;
    fill(select, proposals.map((p) => h('option', { value: p.proposalId, selected: p.proposalId === chosen }, `${p.title} (${statusWords(p.status)})`)));
    const summary = proposals.find((p) => p.proposalId === select.value);
    fill(manage, summary ? (workflowActions({ app, session, summary, idPrefix: 'dash', onDone: load }) ?? h('p', { class: 'muted' }, 'No action is open to you on this proposal now.')) : h('p', { class: 'muted' }, 'No proposals.'));
  };
  select.addEventListener('change', renderManage);

  // The newest summary pushed per proposal: a list read started before a push (after a workflow
  // action, say) must not put the older state back when its answer arrives after that push.
  const pushed = new Map();
  const load = async () => {
    try {
      proposals = mergeSummaries(await api('/api/proposals'), pushed);
      render();
    } catch (e) {
      error.textContent = e.message;
    }
  };

  const watch = async () => {
    try {
      overview = newerOverview(overview, await live.invoke('WatchDashboard'));
      renderOverview();
      incidentList = await api('/api/integrity/incidents');
      renderIncidents();
    } catch (e) {
      error.textContent = e.message;
    }
    await load();
  };
  const offProgress = live.on('ProgressChanged', (m) => { overview = newerOverview(overview, m.overview); renderOverview(); });
  const offUpdated = live.on('ProposalUpdated', (m) => {
    rememberPushed(pushed, m.summary);
    const i = proposals.findIndex((p) => p.proposalId === m.proposalId);
    if (i >= 0 && proposals[i].version > m.summary.version) return;
    if (i >= 0) proposals[i] = m.summary; else proposals.push(m.summary);
    render();
  });
  const offIncident = live.on('IntegrityIncident', (m) => {
    incidentList = [m.incident, ...incidentList.filter((i) => i.id !== m.incident.id)];
    renderIncidents();
  });
  const offResubscribe = live.resubscribe(watch);
  if (live.connected) watch();
  // Overdue is a matter of time passing, not only of events.
  const tick = setInterval(render, 30_000);
  return {
    element,
    dispose: () => {
      offProgress(); offUpdated(); offIncident(); offResubscribe(); clearInterval(tick);
      if (live.connected) live.invoke('UnwatchDashboard').catch(() => {});
    },
  };
}

function reportForm() {
  const year = h('input', { id: 'report-year', type: 'number', min: 2004, value: new Date().getUTCFullYear() });
  const message = h('p', { class: 'error', role: 'alert' });
  const download = async (format) => {
    message.textContent = '';
    try {
      const text = await api(`/api/reports/annual/${year.value}/${format}`, { accept: format === 'html' ? 'text/html' : 'text/markdown' });
      const blob = new Blob([text], { type: format === 'html' ? 'text/html' : 'text/markdown' });
      const link = h('a', { href: URL.createObjectURL(blob), download: `asc-annual-report-${year.value}.${format === 'html' ? 'html' : 'md'}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      message.textContent = e.message;
    }
  };
  return h('div', { class: 'stack' },
    h('label', { for: 'report-year' }, 'Year'), year,
    h('div', { class: 'inline' },
      h('button', { type: 'button', id: 'report-markdown', onClick: () => download('markdown') }, 'Download Markdown'),
      h('button', { type: 'button', id: 'report-html', onClick: () => download('html') }, 'Download print-ready HTML')),
    message);
}

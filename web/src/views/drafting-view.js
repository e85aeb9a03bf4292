import { h, fill, formatTime } from '../dom.js';
import { api } from '../api.js';
import { toIndex, toPosition } from '../editing/positions.js';
import { paragraphsOf, highlightParts, paragraphAt, localStatus } from '../drafting.js';
import { paragraphWords, formatDay } from '../history-words.js';
import { foldOpen } from './fold.js';

// The text as delegations negotiate it, beside the editor: numbered paragraphs (PP/OP) with their
// status (agreed, bracketed, agreed ad referendum with its capital and date, reopened), square
// brackets highlighted, and in a margin beside each paragraph the tabled amendments and the
// discussion threads anchored in it, with the controls each delegation may use. Paragraphs and
// brackets are computed on the local text (drafting.js) so they follow typing; statuses and marks
// come from the server's structure (GetStructure, StructureChanged), amendments and threads from
// GetAnnotations, AmendmentChanged and CommentChanged (docs/drafting.md, docs/amendments.md).

const STATUS = {
  Agreed: ['✓', 'agreed'], Bracketed: ['[ ]', 'bracketed'], AdReferendum: ['⧗', 'agreed ad referendum'], Reopened: ['↺', 'reopened'],
};
const OPEN = ['Open', 'Outdated'];
const EDITABLE = ['Drafting', 'UnderConsideration', 'Blocked'];

export function draftingSection({ app, live, session, proposalId, getDoc, getSummary, getCoordinator, notice }) {
  let structure = null;
  let amendments = [];
  let threads = [];
  let showDecided = false;
  // An amendment decided while the page is open stays in view (its outcome shown) until it is reloaded.
  const decidedHere = new Set();
  const recentlyDecided = (a) => decidedHere.has(a.id);
  const opened = new Set(); // forms a person opened ("reject-a3", "reply-c7", "adref-OP2", "thread-OP1")
  const gist = h('span', { class: 'gist', id: 'drafting-gist' });
  const problems = h('div', { id: 'bracket-problems', role: 'status' });
  const list = h('ol', { id: 'paragraphs', class: 'paragraphs' });
  const elsewhere = h('div', { id: 'annotations-elsewhere' });
  const decidedToggle = h('button', { type: 'button', class: 'link small', id: 'show-decided', onClick: () => { showDecided = !showDecided; render(); } });
  const element = h('details', { class: 'card fold', id: 'drafting', 'aria-labelledby': 'drafting-title', open: foldOpen() },
    h('summary', {}, h('h2', { id: 'drafting-title' }, 'Paragraphs, amendments and discussion'), gist),
    h('p', { class: 'small muted' }, 'Paragraphs are numbered from the text: preambular (PP) before the paragraph ending with a colon, operative (OP) after it. ',
      h('mark', { class: 'bracket' }, '[bracketed text]'), ' is not yet agreed. Amendments and discussions stand beside the paragraph they concern. ', decidedToggle),
    problems, list, elsewhere);

  const me = () => session.member;
  const isChair = () => session.role === 'chair' && app.chair === session.member;
  const participant = () => session.role !== 'secretariat' && (getSummary()?.participants ?? []).includes(me());
  const editable = () => EDITABLE.includes(getSummary()?.status);
  /** The pen-holder: the proposer's delegation; a group draft at group level: the coordinator. The Chair too. */
  const penHolder = () => {
    const summary = getSummary();
    if (!summary || session.role === 'secretariat') return false;
    if (isChair()) return true;
    const holder = summary.group && summary.level === 'Group' ? getCoordinator() : summary.proposer;
    return holder === me();
  };

  /** An annotation's anchor as UTF-16 indices of the local text, or null. */
  const localRange = (item) => {
    const doc = getDoc();
    if (!doc) return null;
    // Through the edits since the anchor's revision; when those are not held (the page opened
    // later), the positions as given: the anchor is then placed approximately, never dropped.
    const start = doc.localPosition(item.start, item.revision) ?? item.start;
    const end = doc.localPosition(item.end, item.revision) ?? item.end;
    return [toIndex(doc.text, start), toIndex(doc.text, Math.max(start, end))];
  };

  const act = async (what, call) => {
    notice.textContent = '';
    try {
      return await call();
    } catch (error) {
      notice.textContent = `${what}: ${error.message}`;
      return null;
    }
  };
  const upsert = (items, item) => {
    if (item.status && !OPEN.includes(item.status)) decidedHere.add(item.id);
    const i = items.findIndex((x) => x.id === item.id); if (i >= 0) items[i] = item; else items.push(item);
  };

  // ----- amendments -----
  const amendmentCard = (a) => {
    const mine = a.author === me();
    const myStance = a.positions.find((p) => p.member === me())?.stance ?? null;
    const supporters = a.positions.filter((p) => p.stance === 'Support').map((p) => app.memberName(p.member));
    const opponents = a.positions.filter((p) => p.stance === 'Oppose').map((p) => app.memberName(p.member));
    const open = OPEN.includes(a.status);
    const verb = { Replace: 'proposes to replace', Insert: 'proposes to insert', Delete: 'proposes to delete' }[a.kind] ?? 'proposes';
    const rejecting = opened.has(`reject-${a.id}`);
    const controls = [];
    if (open && editable()) {
      if (participant() && !mine) {
        for (const [stance, text] of [['Support', 'Support'], ['Oppose', 'Oppose']]) {
          controls.push(h('button', { type: 'button', class: myStance === stance ? 'primary' : null, 'aria-pressed': String(myStance === stance), dataset: { stance },
            onClick: () => act(stance, async () => upsert(amendments, await live.invoke('TakeAmendmentPosition', proposalId, a.id, myStance === stance ? null : stance))).then(render) }, text));
        }
      }
      if (penHolder()) {
        if (a.status === 'Open') controls.push(h('button', { type: 'button', class: 'primary', dataset: { action: 'accept' }, onClick: () => act('Accept', async () => { const r = await live.invoke('AcceptAmendment', proposalId, a.id); upsert(amendments, r.amendment); }).then(render) }, 'Accept'));
        controls.push(h('button', { type: 'button', class: 'danger', dataset: { action: 'reject' }, 'aria-expanded': String(rejecting), onClick: () => { opened.add(`reject-${a.id}`); render(); document.getElementById(`reject-${a.id}`)?.focus(); } }, 'Reject…'));
      }
      if (mine && session.role !== 'secretariat') controls.push(h('button', { type: 'button', dataset: { action: 'withdraw' }, onClick: () => act('Withdraw', async () => upsert(amendments, await live.invoke('WithdrawAmendment', proposalId, a.id))).then(render) }, 'Withdraw'));
    }
    const decided = a.status === 'Accepted' ? `Accepted by ${app.memberName(a.decidedBy)}${a.decidedRole === 'Chair' ? ' (Chair)' : ''} ${formatTime(a.decidedAt)}: the text now has it, as ${app.memberName(a.author)}’s edit.`
      : a.status === 'Rejected' ? `Rejected by ${app.memberName(a.decidedBy)}${a.decidedRole === 'Chair' ? ' (Chair)' : ''}` : a.status === 'Withdrawn' ? 'Withdrawn by its author.'
        : a.status === 'Outdated' ? 'Outdated: the text it amends was changed since; it can no longer be accepted as it stands.' : null;
    return h('article', { class: `amendment status-${a.status}`, dataset: { id: a.id, status: a.status, author: a.author }, 'aria-label': `Amendment by ${app.memberName(a.author)}` },
      h('p', { class: 'who' }, h('strong', {}, app.memberName(a.author)), ` ${verb}`, ' ', h('span', { class: `badge amendment-${a.status}` }, a.status === 'Open' ? 'open' : a.status.toLowerCase())),
      h('p', { class: 'change' },
        a.quote ? h('del', { title: 'the text it replaces or deletes' }, a.quote) : null,
        a.quote && a.replacement ? ' → ' : null,
        a.replacement ? h('ins', { title: 'the text it proposes' }, a.replacement) : null),
      a.justification ? h('p', { class: 'small' }, 'Why: ', h('q', {}, a.justification)) : null,
      supporters.length || opponents.length ? h('p', { class: 'small positions' },
        supporters.length ? `Supported by ${supporters.join(', ')}` : null, supporters.length && opponents.length ? '; ' : null,
        opponents.length ? `opposed by ${opponents.join(', ')}` : null, '.') : null,
      decided ? h('p', { class: 'small outcome' }, decided, a.status === 'Rejected' && a.reason ? [' ', h('q', {}, a.reason)] : null) : null,
      controls.length ? h('div', { class: 'inline' }, controls) : null,
      rejecting ? h('form', { class: 'stack', onSubmit: (e) => {
        e.preventDefault();
        const reason = e.target.elements.reason.value.trim();
        if (!reason) { notice.textContent = 'A rejection needs a reason.'; return; }
        act('Reject', async () => { upsert(amendments, await live.invoke('RejectAmendment', proposalId, a.id, reason)); opened.delete(`reject-${a.id}`); }).then(render);
      } },
      h('label', { for: `reject-${a.id}` }, 'Reason for rejecting'), h('textarea', { id: `reject-${a.id}`, name: 'reason', rows: 2, maxLength: 2000, required: true }),
      h('div', { class: 'inline' }, h('button', { type: 'submit', class: 'danger' }, 'Reject the amendment'),
        h('button', { type: 'button', onClick: () => { opened.delete(`reject-${a.id}`); render(); } }, 'Cancel'))) : null);
  };

  // ----- threads -----
  const threadCard = (t) => {
    const replying = `reply-${t.id}`;
    const mayResolve = t.author === me() || penHolder();
    const canWrite = participant() || isChair();
    const closed = ['Adopted', 'Withdrawn'].includes(getSummary()?.status);
    return h('article', { class: `thread${t.resolved ? ' resolved' : ''}`, dataset: { id: t.id, resolved: String(t.resolved), anchor: t.anchor }, 'aria-label': `Discussion started by ${app.memberName(t.author)}` },
      h('p', { class: 'who' }, h('strong', {}, 'Discussion'), t.scope === 'Range' && t.quote ? [' on ', h('q', {}, t.quote)] : ' on the paragraph',
        t.resolved ? h('span', { class: 'badge' }, ' resolved') : null, t.anchor !== 'Current' ? h('span', { class: 'badge warn' }, t.anchor === 'Detached' ? ' its text was deleted' : ' its text changed') : null),
      h('ol', { class: 'comments' }, t.comments.map((c) => h('li', { dataset: { number: String(c.number) } },
        h('strong', {}, app.memberName(c.author)), ': ', mentionText(c.text, app),
        h('div', { class: 'small muted' }, formatTime(c.at), c.mentions?.length ? ` · mentions ${c.mentions.map(app.memberName).join(', ')}` : '')))),
      h('div', { class: 'inline' },
        canWrite && !closed ? h('button', { type: 'button', class: 'link', 'aria-expanded': String(opened.has(replying)), onClick: () => { opened.add(replying); render(); document.getElementById(replying)?.focus(); } }, 'Reply') : null,
        mayResolve && !closed ? h('button', { type: 'button', class: 'link', dataset: { action: t.resolved ? 'reopen' : 'resolve' },
          onClick: () => act(t.resolved ? 'Reopen' : 'Resolve', async () => upsert(threads, await live.invoke(t.resolved ? 'ReopenComment' : 'ResolveComment', proposalId, t.id))).then(render) }, t.resolved ? 'Reopen' : 'Resolve') : null),
      opened.has(replying) ? commentForm(replying, 'Reply', (text) => live.invoke('ReplyToComment', proposalId, t.id, { text }).then((thread) => { upsert(threads, thread); opened.delete(replying); })) : null);
  };

  const commentForm = (id, submitText, send) => h('form', { class: 'stack', onSubmit: (e) => {
    e.preventDefault();
    const text = e.target.elements.text.value.trim();
    if (!text) return;
    act(submitText, () => send(text)).then(render);
  } },
  h('label', { for: id }, `${submitText} (mention a delegation with @ and its code, e.g. @TH)`),
  h('textarea', { id, name: 'text', rows: 2, maxLength: 4000, required: true }),
  h('div', { class: 'inline' }, h('button', { type: 'submit', class: 'primary' }, submitText),
    h('button', { type: 'button', onClick: () => { opened.delete(id); render(); } }, 'Cancel')));

  // ----- ad referendum -----
  const markLine = (m, number) => {
    const mine = m.member === me() && session.role !== 'secretariat';
    return h('li', { dataset: { mark: String(m.id), member: m.member, state: m.state } },
      `${app.memberName(m.member)} agreed ad referendum — pending ${m.pending}, by ${formatDay(m.by)}`,
      m.state !== 'Pending' ? ` (${m.state === 'Confirmed' ? 'confirmed' : 'withdrawn'}${m.resolvedAt ? ` ${formatTime(m.resolvedAt)}` : ''})` : '',
      m.note ? [' ', h('q', {}, m.note)] : null,
      mine && m.state === 'Pending' ? h('span', { class: 'inline' },
        h('button', { type: 'button', dataset: { action: 'confirm' }, onClick: () => adReferendum(`${m.id}/confirm`, number) }, 'Capital confirmed'),
        h('button', { type: 'button', dataset: { action: 'withdraw-mark' }, onClick: () => adReferendum(`${m.id}/withdraw`, number) }, 'Withdraw the agreement')) : null);
  };
  const adReferendum = (path, number, body = {}) => act('Ad referendum', async () => {
    const answer = await api(`/api/proposals/${proposalId}/ad-referendum${path ? `/${path}` : ''}`, { method: 'POST', body });
    if (answer && answer.paragraphs) structure = answer;
    opened.delete(`adref-${number}`);
  }).then(render);
  const adReferendumForm = (number) => {
    const id = `adref-${number}`;
    const tomorrow = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    return h('form', { class: 'stack adref-form', onSubmit: (e) => {
      e.preventDefault();
      const doc = getDoc();
      if (doc && doc.queued > 0) { notice.textContent = 'Your latest edits are still being saved; try again once they are.'; return; }
      adReferendum('', number, { paragraph: number, revision: structure?.revision ?? doc?.revision ?? 0, pending: e.target.elements.pending.value.trim(), by: e.target.elements.by.value });
    } },
    h('label', { for: `${id}-pending` }, `What is pending for ${paragraphWords(number)}`),
    h('input', { id: `${id}-pending`, name: 'pending', required: true, maxLength: 2000, value: 'confirmation by the capital' }),
    h('label', { for: `${id}-by` }, 'Expected by'),
    h('input', { id: `${id}-by`, name: 'by', type: 'date', required: true, value: tomorrow, min: new Date().toISOString().slice(0, 10) }),
    h('div', { class: 'inline' }, h('button', { type: 'submit', class: 'primary' }, 'Agree ad referendum'),
      h('button', { type: 'button', onClick: () => { opened.delete(id); render(); } }, 'Cancel')));
  };

  // ----- the whole card -----
  const render = () => {
    const doc = getDoc();
    if (!doc) return;
    // Keep what a person is typing in the margin's forms, and where the focus is.
    const kept = new Map([...element.querySelectorAll('input[id], textarea[id]')].map((el) => [el.id, el.value]));
    const focused = element.contains(document.activeElement) ? document.activeElement.id : null;
    const paragraphs = paragraphsOf(doc.text);
    const byNumber = new Map((structure?.paragraphs ?? []).filter((p) => p.number).map((p) => [p.number, p]));
    const placed = new Map(paragraphs.map((p) => [p, { amendments: [], threads: [] }]));
    const lost = { amendments: [], threads: [] };
    const visibleAmendments = amendments.filter((a) => showDecided || OPEN.includes(a.status) || recentlyDecided(a));
    for (const [items, key] of [[visibleAmendments, 'amendments'], [threads, 'threads']]) {
      for (const item of items) {
        const range = localRange(item);
        const p = range ? paragraphAt(paragraphs, range[0]) : null;
        (p ? placed.get(p) : lost)[key].push(item);
      }
    }
    const decidedCount = amendments.filter((a) => !OPEN.includes(a.status)).length;
    decidedToggle.textContent = decidedCount === 0 ? '' : showDecided ? 'Hide decided amendments' : `Show decided amendments (${decidedCount})`;
    decidedToggle.hidden = decidedCount === 0;
    const statusOf = (p) => (p.number && byNumber.get(p.number)?.status) || (p.kind === 'Chapeau' ? null : localStatus(p));
    const counts = { bracketed: 0, adReferendum: 0 };
    fill(list, paragraphs.map((p) => {
      const server = p.number ? byNumber.get(p.number) : null;
      const status = statusOf(p);
      if (status === 'Bracketed') counts.bracketed++;
      if (status === 'AdReferendum') counts.adReferendum++;
      const marks = server?.adReferendum ?? [];
      const mayMark = participant() && editable() && p.number && status !== 'Bracketed' && !marks.some((m) => m.member === me() && m.state === 'Pending');
      const notes = placed.get(p);
      const heading = p.number ? paragraphWords(p.number) : 'the chapeau';
      return h('li', { class: 'paragraph', dataset: { number: p.number ?? 'chapeau', status: status ?? 'Chapeau', kind: p.kind } },
        h('div', { class: 'para-main' },
          h('div', { class: 'para-head' },
            h('span', { class: 'para-number', 'aria-label': heading }, p.number ?? '—'),
            status ? h('span', { class: `badge para-${status}` }, h('span', { 'aria-hidden': 'true' }, `${STATUS[status]?.[0] ?? ''} `), STATUS[status]?.[1] ?? status) : h('span', { class: 'muted small' }, 'chapeau')),
          h('p', { class: 'para-text' }, highlightParts(p.text).map((part) => (part.bracket ? h('mark', { class: 'bracket' }, part.text)
            : part.problem ? h('mark', { class: 'bracket-problem', title: 'an unbalanced bracket' }, part.text) : part.text))),
          marks.length ? h('ul', { class: 'marks small' }, marks.map((m) => markLine(m, p.number))) : null,
          h('div', { class: 'inline small' },
            mayMark && !opened.has(`adref-${p.number}`) ? h('button', { type: 'button', class: 'link', dataset: { action: 'mark' }, onClick: () => { opened.add(`adref-${p.number}`); render(); document.getElementById(`adref-${p.number}-pending`)?.focus(); } }, 'Agree ad referendum…') : null,
            (participant() || isChair()) && !['Adopted', 'Withdrawn'].includes(getSummary()?.status) && !opened.has(`thread-${p.number ?? 'chapeau'}`)
              ? h('button', { type: 'button', class: 'link', dataset: { action: 'discuss' }, onClick: () => { opened.add(`thread-${p.number ?? 'chapeau'}`); render(); document.getElementById(`thread-${p.number ?? 'chapeau'}`)?.focus(); } }, 'Discuss this paragraph…') : null),
          opened.has(`adref-${p.number}`) ? adReferendumForm(p.number) : null,
          opened.has(`thread-${p.number ?? 'chapeau'}`) ? commentForm(`thread-${p.number ?? 'chapeau'}`, 'Start the discussion', (text) => startThread(p, text)) : null),
        h('aside', { class: 'margin', 'aria-label': `Amendments and discussion on ${heading}` },
          notes.amendments.map(amendmentCard), notes.threads.map(threadCard)));
    }));
    fill(elsewhere, lost.amendments.length || lost.threads.length ? [h('h3', { class: 'h3' }, 'Not placed in the current text'), lost.amendments.map(amendmentCard), lost.threads.map(threadCard)] : null);
    const problemList = structure?.problems ?? [];
    fill(problems, problemList.length ? h('p', { class: 'warn small' }, `Unbalanced brackets: ${problemList.map((x) => `${x.paragraph ? `${paragraphWords(x.paragraph) ?? x.paragraph}: ` : ''}${x.code === 'unclosed_open' ? 'a “[” is not closed' : 'a “]” has no “[”'}`).join('; ')}.`) : null);
    const openCount = amendments.filter((a) => OPEN.includes(a.status)).length;
    gist.textContent = ` — ${paragraphs.length} paragraph${paragraphs.length === 1 ? '' : 's'}${counts.bracketed ? `, ${counts.bracketed} bracketed` : ''}${counts.adReferendum ? `, ${counts.adReferendum} ad referendum` : ''}${openCount ? `, ${openCount} open amendment${openCount === 1 ? '' : 's'}` : ''}`;
    for (const [id, value] of kept) { const el = document.getElementById(id); if (el && element.contains(el)) el.value = value; }
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  };

  const startThread = async (p, text) => {
    const doc = getDoc();
    if (doc.queued > 0) throw new Error('Your latest edits are still being saved; try again once they are.');
    const thread = await live.invoke('StartComment', proposalId, { revision: doc.revision, start: toPosition(doc.text, p.start), end: toPosition(doc.text, p.end), scope: 'Paragraph', text });
    upsert(threads, thread);
    opened.delete(`thread-${p.number ?? 'chapeau'}`);
  };

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(render, 150); };

  const load = async () => {
    const [s, a] = await Promise.all([
      live.invoke('GetStructure', proposalId).catch(() => null),
      live.invoke('GetAnnotations', proposalId).catch(() => null),
    ]);
    if (s) structure = s;
    if (a) { amendments = a.amendments; threads = a.threads; }
    render();
  };
  const offs = [
    live.on('StructureChanged', (m) => { if (m.proposalId === proposalId) { structure = m.structure; later(); } }),
    live.on('AmendmentChanged', (m) => {
      if (m.proposalId !== proposalId) return;
      upsert(amendments, m.amendment);
      later();
    }),
    live.on('CommentChanged', (m) => { if (m.proposalId === proposalId) { upsert(threads, m.thread); later(); } }),
  ];

  return {
    element,
    load,
    textChanged: later,
    render,
    amendments: () => amendments,
    threads: () => threads,
    structure: () => structure,
    added: (amendment) => { upsert(amendments, amendment); render(); },
    dispose: () => { clearTimeout(timer); for (const off of offs) off(); },
  };
}

/** A comment's text with "@TH" shown as the delegation's name (the code stays in the title). */
function mentionText(text, app) {
  return String(text).split(/(@[A-Z]{2,4}\b)/).map((part, i) => (i % 2 === 1 && app.members.some((m) => m.code === part.slice(1))
    ? h('abbr', { class: 'mention', title: part }, `@${app.memberName(part.slice(1))}`) : part));
}

import { h, fill, formatTime, label } from '../dom.js';
import { api } from '../api.js';
import { DocumentClient } from '../editing/document-client.js';
import { TextareaBinding } from '../editing/textarea-binding.js';
import { lostChangesBanner } from '../editing/lost-changes.js';
import { RemoteCursors, memberColour } from '../editing/remote-cursors.js';
import { statusBadge } from './badges.js';
import { signOffPanel } from './signoff-panel.js';
import { historySection } from './history.js';
import { draftingSection } from './drafting-view.js';
import { suggestionMode } from './suggest.js';
import { paragraphsOf, paragraphAt } from '../drafting.js';
import { toIndex } from '../editing/positions.js';
import { workflowActions } from './chair-actions.js';
import { foldOpen } from './fold.js';
import { statusWords } from '../refusals.js';

// The proposal page: live co-editing, presence, revision, sign-offs, workflow, audit and diff.

const CURSOR_THROTTLE_MS = 150;
const LOCKED = ['ConsensusReached', 'Adopted', 'Withdrawn'];

export function proposalView(context, proposalId) {
  const { app, live, session } = context;
  const title = h('h1', { id: 'proposal-title' }, 'Loading proposal…');
  const meta = h('div', { class: 'meta' });
  // Revisions are the engine's unit, out of people's sight (the textarea's data-revision keeps it for tests).
  const editState = h('span', { id: 'edit-state', class: 'muted', 'aria-live': 'polite' });
  const textarea = h('textarea', { id: 'proposal-text', class: 'editor', spellcheck: true, disabled: true, 'aria-describedby': 'editor-help' });
  const presence = h('ul', { id: 'presence', class: 'presence', 'aria-label': 'Delegations with this proposal open' });
  const notice = h('p', { id: 'proposal-notice', class: 'error', role: 'alert' });
  const lostPlace = h('div', {});
  // Folded on a phone (details/summary): the editor comes first, sign-offs and history a tap away.
  const signOffs = h('details', { class: 'card fold', id: 'sign-offs', 'aria-labelledby': 'signoffs-title', open: foldOpen() });
  const readOnlyWhy = h('p', { id: 'read-only-why', class: 'note small', hidden: true });
  const workflow = h('section', { class: 'card', id: 'workflow', 'aria-labelledby': 'workflow-title' });
  // Outlives the re-render that the action's own push causes: "Adoption: done." stays visible.
  const workflowResult = h('p', { class: 'ok', role: 'status', id: 'workflow-result' });
  // A refusal stays on screen when a push re-renders the workflow card (see workflowActions).
  const workflowError = h('p', { class: 'error', role: 'alert', id: 'workflow-error' });
  const history = h('div', {});
  const drafting = h('div', {});
  const suggest = suggestionMode({ live, proposalId, textarea, getDoc: () => doc, getBinding: () => binding, notice, isLocked: () => whyReadOnly() !== null,
    onTabled: (amendment) => { draftingPart.added(amendment); notice.textContent = ''; } });
  const element = h('section', { class: 'proposal' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, '← Workspace')),
    title, meta, notice, lostPlace,
    h('div', { class: 'proposal-grid' },
      h('div', { class: 'area-editor' },
        h('section', { class: 'card', 'aria-labelledby': 'text-label' },
          h('div', { class: 'editor-head' },
            h('label', { id: 'text-label', for: 'proposal-text' }, 'Text of the proposed measure'),
            suggest.control, editState),
          readOnlyWhy, suggest.help,
          h('div', { class: 'editor-wrap' }, textarea),
          suggest.proposeButton, suggest.form,
          h('p', { id: 'editor-help', class: 'muted small' }, 'Edits are saved as you type and shared live with the other delegations. Others\' cursors are marked with their member code.'),
          h('h2', { class: 'h3' }, 'Also here'), presence),
        drafting),
      h('div', { class: 'area-side' }, signOffs, workflow),
      h('div', { class: 'area-history' }, history)));

  let doc = null;
  let binding = null;
  let cursors = null;
  let summary = null;
  let editors = [];
  let disposed = false;
  let cursorTimer = null;

  const transport = {
    submit: (baseRevision, op, opId) => live.invoke('SubmitTrackedEdit', proposalId, baseRevision, op, opId),
    editsSince: (since) => live.invoke('GetEditsSince', proposalId, since),
    resync: (since, op, textHash) => live.invoke('Resync', proposalId, since, op, textHash),
  };

  const showState = () => {
    if (!doc) return;
    const queued = doc.queued;
    editState.textContent = queued === 0 ? 'All edits saved' : live.state === 'connected' ? `Saving ${queued}…` : `${queued} queued`;
    app.setQueued(queued);
    textarea.dataset.revision = String(doc.revision);
    // The summary's revision moves only with workflow changes; the document's is the live one.
    for (const el of signOffs.querySelectorAll('[data-live-version]')) el.textContent = currentVersion();
    if (doc.revision !== shownRevision) {
      shownRevision = doc.revision;
      historyPart.revisionChanged(doc.revision);
    }
  };
  let shownRevision = null;
  /** What people call the text now: a named version ("the version as circulated on 4 Dec 2026") or "this draft". */
  const currentVersion = () => {
    const revision = doc?.revision ?? summary?.revision ?? 0;
    return historyPart.names().named().find((v) => v.revision === revision)?.name ?? 'this draft';
  };

  const renderPresence = () => {
    const others = editors.filter((e) => e.connectionId !== live.connection?.connectionId);
    fill(presence, others.length === 0
      ? h('li', { class: 'muted' }, 'Nobody else has this proposal open.')
      : others.map((e) => {
        const where = e.cursor && doc ? doc.localPosition(e.cursor.head, e.cursor.revision) : null;
        const line = where === null ? null : doc.text.slice(0, where).split('\n').length;
        return h('li', { dataset: { member: e.member } },
          h('span', { class: 'swatch', style: `background:${memberColour(e.member)}`, 'aria-hidden': 'true' }),
          app.members.some((m) => m.code === e.member) ? `${app.memberName(e.member)} (${e.member})` : app.memberName(e.member), line ? h('span', { class: 'muted' }, ` — line ${line}`) : null);
      }));
    if (cursors && doc) {
      cursors.render(others.filter((e) => e.cursor).map((e) => {
        const anchor = doc.localPosition(e.cursor.anchor, e.cursor.revision);
        const head = doc.localPosition(e.cursor.head, e.cursor.revision);
        return anchor === null || head === null ? null : { member: e.member, anchor, head };
      }).filter(Boolean));
    }
  };

  let groupInfo = null;
  const renderMeta = () => {
    fill(meta,
      statusBadge(summary.status), ' ',
      h('span', { id: 'proposal-activity' }, `Activity: ${app.activityTitle(summary.activity) ?? '…'}`),
      summary.group ? [' · ', h('a', { href: `#/groups/${summary.group}` }, groupInfo ? `Ad-hoc group: ${groupInfo.name}` : 'Ad-hoc group')] : null,
      ` · ${label(summary.level)} level`,
      summary.rule ? ` · rule: ${label(summary.rule.kind)}${summary.rule.quorum ? ` (quorum ${summary.rule.quorum})` : ''}` : null,
      summary.deadline ? h('span', { class: 'deadline' }, ` · deadline ${formatTime(summary.deadline)}`) : null,
      ` · proposed by ${app.memberName(summary.proposer)}`,
      summary.confidential ? h('span', { class: 'badge' }, ' confidential to the group') : null);
  };
  // Names, not ids: the activity's title (read again if it was added since) and the group's name.
  // The group's charter (GET /api/groups/{id}) is read once per page: its name and its coordinator,
  // who may recommend the draft. A failed read is tried again when the page opens the proposal again.
  const loadNames = async () => {
    try {
      if (!app.activityTitle(summary.activity)) await app.loadActivities();
      if (summary.group && groupInfo?.groupId !== summary.group) groupInfo = await api(`/api/groups/${summary.group}`);
    } catch { /* the placeholders stay: the page works without the names */ }
    if (!disposed && summary) { renderSummary(); historyPart.refreshAudit(); }
  };

  /** Why this delegation cannot edit, or null: the editor is then read-only and says why. */
  const whyReadOnly = () => {
    if (session.role === 'secretariat') return 'The ASEAN Secretariat reads and reports; it does not edit proposals.';
    if (LOCKED.includes(summary.status)) return `The text is locked: the proposal is ${statusWords(summary.status)}.`;
    if (summary.confidential && !summary.participants.includes(session.member)) return 'Only the ad-hoc group’s participants edit its draft.';
    return null;
  };

  const renderSummary = () => {
    title.textContent = summary.title;
    renderMeta();
    const why = whyReadOnly();
    const locked = why !== null;
    readOnlyWhy.textContent = why ?? '';
    readOnlyWhy.hidden = !locked;
    textarea.readOnly = locked || suggest.on;
    // Amendments are tabled by a participating delegation while the text may change.
    suggest.setAvailable(!locked && summary.participants.includes(session.member));
    textarea.disabled = false;
    textarea.setAttribute('aria-readonly', String(locked));
    // Others' sign-offs re-render the panel: keep what this delegate was choosing and typing.
    const form = signOffs.querySelector('#signoff-form');
    const draft = form && form.dataset.touched ? { position: form.elements.position.value, reason: form.querySelector('#signoff-reason').value } : null;
    const focused = signOffs.contains(document.activeElement) ? document.activeElement.id : null;
    // The card the person is acting in stays where it is on screen: after adoption the sign-off
    // form and the adoption form go away, the side column shrinks, and the window was left
    // showing the audit trail beside empty space instead of the card just used.
    const anchor = [signOffs, workflow].find((card) => card.contains(document.activeElement)) ?? null;
    const anchorTop = anchor?.getBoundingClientRect().top;
    fill(signOffs, signOffPanel({ app, live, session, summary, doc, proposalId, names: historyPart.names(), currentVersion, compareSince: historyPart.compare }));
    const again = signOffs.querySelector('#signoff-form');
    if (again && draft) {
      again.dataset.touched = 'true';
      const radio = again.querySelector(`#position-${draft.position}`);
      if (radio) radio.checked = true;
      again.querySelector('#signoff-reason').value = draft.reason;
    }
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
    // Recommend is the group coordinator's (or the Chair's): the coordinator comes from the group's
    // charter, read once for this page (loadNames); until it is known only the Chair is offered it.
    const coordinator = summary.group && groupInfo?.groupId === summary.group ? groupInfo.coordinator : null;
    const actions = workflowActions({ app, session, summary, coordinator, message: workflowError, onDone: (what) => { workflowResult.textContent = `${what}: done.`; } });
    // The secretariat has no workflow action at any stage: no card for it.
    workflow.hidden = session.role === 'secretariat';
    fill(workflow, h('h2', { id: 'workflow-title', tabIndex: -1 }, 'Workflow'), actions ?? h('p', { class: 'muted' }, 'No workflow action is yours at this stage.'), workflowError, workflowResult);
    if (anchor && !anchor.contains(document.activeElement)) anchor.querySelector('h2')?.focus({ preventScroll: true });
    if (anchor) keepTop(anchor, anchorTop);
    draftingPart.render();
  };

  const sendCursor = () => {
    clearTimeout(cursorTimer);
    cursorTimer = setTimeout(() => {
      // Positions must be in the committed text of doc.revision: only when nothing is unacknowledged.
      if (!doc || !binding || !live.connected || doc.queued > 0 || document.activeElement !== textarea) return;
      const [start, end] = binding.selection();
      const backwards = textarea.selectionDirection === 'backward';
      live.invoke('UpdateCursor', proposalId, doc.revision, { anchor: backwards ? end : start, head: backwards ? start : end }).catch(() => {});
    }, CURSOR_THROTTLE_MS);
  };
  for (const event of ['keyup', 'mouseup', 'focus', 'select', 'input']) textarea.addEventListener(event, sendCursor);

  const open = async () => {
    const opened = await live.invoke('OpenProposal', proposalId);
    if (disposed) return;
    editors = opened.editors;
    summary = opened.summary;
    if (!doc) {
      doc = new DocumentClient({
        snapshot: opened,
        member: session.member,
        transport,
        onText: (op) => { binding?.remoteChanged(op); renderPresence(); draftingPart.textChanged(); },
        onState: () => { showState(); if (doc.queued === 0) sendCursor(); },
        onRefused: async (error, lost) => {
          notice.textContent = `Your last edit was not saved. ${error.message} ${lost} unsaved edit${lost === 1 ? ' was' : 's were'} discarded and the current text was loaded.`;
          const fresh = await live.invoke('OpenProposal', proposalId);
          doc.reset(fresh);
        },
        // Storage lost changes the server had confirmed: reload, and offer to re-apply this page's copy.
        onLost: async (error, copy) => {
          const fresh = await live.invoke('OpenProposal', proposalId);
          const mine = { text: doc.text, revision: copy.revision };
          doc.reset(fresh);
          fill(lostPlace, lostChangesBanner({ copy: mine, server: fresh, reapply: () => binding.replaceWith(mine.text), dismiss: () => {} }));
          lostPlace.querySelector('button')?.focus();
        },
      });
      binding = new TextareaBinding(textarea, doc);
      textarea.addEventListener('input', draftingPart.textChanged);
      cursors = new RemoteCursors(textarea);
      app.doc = doc;
    } else {
      await doc.reconnected();
    }
    renderSummary();
    renderPresence();
    showState();
    draftingPart.load().then(() => historyPart.refreshAudit());
    if (!app.activityTitle(summary.activity) || (summary.group && !groupInfo)) loadNames();
  };

  const offState = () => {
    if (!doc) return;
    if (live.state !== 'connected' && doc.online) doc.setOnline(false);
    showState();
  };
  live.addEventListener('state', offState);
  const offEdit = live.on('EditApplied', (m) => { if (m.proposalId === proposalId && doc) doc.receive(m); });
  const offPresence = live.on('PresenceChanged', (m) => { if (m.proposalId === proposalId) { editors = m.editors; renderPresence(); } });
  const offUpdated = live.on('ProposalUpdated', (m) => {
    if (m.proposalId !== proposalId || !summary || m.summary.version < summary.version) return;
    summary = m.summary;
    renderSummary();
    historyPart.refreshAudit();
  });
  const reopen = async () => {
    try {
      await open();
    } catch (error) {
      notice.textContent = error.code === 'not_found' ? 'There is no such proposal: the link may be wrong.'
        : error.code === 'forbidden' ? 'This proposal is an ad-hoc group’s draft: only its participants, the Chair and the ASEAN Secretariat may open it.'
          : `The proposal could not be opened. ${error.message}`;
      if (!doc) title.textContent = 'Proposal unavailable';
    }
  };
  // Now when connected, and again after every reconnect (open again, then resync the document).
  // Versions, amendments, discussions and marks are audited: the History tab is read again after each push.
  const auditOn = (m) => { if (m.proposalId === proposalId) historyPart.refreshAudit(); };
  const offAudited = ['VersionRecorded', 'AmendmentChanged', 'CommentChanged', 'StructureChanged'].map((event) => live.on(event, auditOn));
  const offVersion = () => offAudited.forEach((off) => off());
  const offResubscribe = live.resubscribe(reopen);
  if (live.connected) reopen();

  const nameOf = (id) => app.activityTitle(id) ?? (summary?.group === id ? groupInfo?.name ?? null : null);
  /** An amendment's or thread's author and where it stands now (for the history's words). */
  const annotationOf = (id) => {
    const item = [...draftingPart.amendments(), ...draftingPart.threads()].find((x) => x.id === id);
    if (!item || !doc) return item ? { author: item.author } : null;
    const at = doc.localPosition(item.start, item.revision) ?? item.start;
    const p = paragraphAt(paragraphsOf(doc.text), toIndex(doc.text, at));
    return { author: item.author, paragraph: p?.number ?? null };
  };
  const mayName = () => {
    if (!summary || session.role === 'secretariat') return false;
    if (session.role === 'chair' && app.chair === session.member) return true;
    return (summary.group && summary.level === 'Group' ? coordinatorOf() : summary.proposer) === session.member;
  };
  const historyPart = historySection({ app, proposalId, live, nameOf, getRevision: () => doc?.revision ?? 0, getSummary: () => summary,
    versionsSource: () => live.invoke('GetVersions', proposalId), canName: mayName, annotation: annotationOf,
    onNames: (names) => {
      // The sign-off panel names versions ("signed on the version as circulated on …"): re-rendered when a name is new.
      const key = JSON.stringify(names.named());
      if (key !== namesKey && summary && !disposed) { namesKey = key; renderSummary(); }
    } });
  let namesKey = null;
  fill(history, historyPart.element);
  const coordinatorOf = () => (summary?.group && groupInfo?.groupId === summary.group ? groupInfo.coordinator : null);
  const draftingPart = draftingSection({ app, live, session, proposalId, getDoc: () => doc, getSummary: () => summary, getCoordinator: coordinatorOf, notice });
  fill(drafting, draftingPart.element);

  return {
    element,
    dispose: () => {
      disposed = true;
      clearTimeout(cursorTimer);
      offEdit(); offPresence(); offUpdated(); offResubscribe(); offVersion();
      draftingPart.dispose();
      live.removeEventListener('state', offState);
      binding?.dispose();
      cursors?.dispose();
      app.setQueued(0);
      app.doc = null;
      if (live.connected) live.invoke('CloseProposal', proposalId).catch(() => {});
    },
  };
}

/** Scrolls so that card's top is back at top (viewport px), now and after the next frame's layout. */
function keepTop(card, top) {
  const fix = () => {
    const moved = card.getBoundingClientRect().top - top;
    if (Math.abs(moved) > 1) window.scrollBy(0, moved);
  };
  fix();
  requestAnimationFrame(fix);
}

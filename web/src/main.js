import './styles.css';
import { h, fill } from './dom.js';
import { Live } from './live.js';
import { currentSession, endSession, onSessionChange } from './session.js';
import { api } from './api.js';
import { signInView } from './views/signin.js';
import { workspaceView } from './views/workspace.js';
import { proposalView } from './views/proposal.js';
import { groupView } from './views/group.js';
import { dashboardView } from './views/dashboard.js';

// Hash routing: #/signin, #/ (workspace), #/proposals/:id, #/groups/:id, #/dashboard.
// A view is a function (context) → { element, dispose? }; the shell disposes the old one.

const live = new Live();
const app = { live, queued: 0, chair: null, members: [], status: null };
window.asccollab = app; // for the browser tests and for curious delegates: state, not secrets

const main = document.getElementById('main');
const header = document.getElementById('header');
const status = h('p', { id: 'connection-status', class: 'connection', role: 'status', 'aria-live': 'polite' });
let current = null;

live.addEventListener('state', renderStatus);
const unauthorized = () => { live.stop(); endSession(); location.hash = '#/signin'; };
live.addEventListener('unauthorized', unauthorized);
window.addEventListener('asccollab:unauthorized', unauthorized);
// The session is shared by the browser's tabs: signing out (or in as someone else) in one tab
// does the same in the others, before they send anything more with the old token.
let shownSession = currentSession();
onSessionChange(async (session) => {
  if (session?.token === shownSession?.token) return;
  await live.stop();
  app.resetReference();
  if (!session) location.hash = '#/signin';
  else if (location.hash === '#/signin') location.hash = session.role === 'delegate' ? '#/' : '#/dashboard';
  else route();
});
app.setQueued = (n) => { app.queued = n; renderStatus(); };

function renderStatus() {
  const words = {
    connected: 'Connected',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
  }[live.state] ?? live.state;
  if (!currentSession()) { status.textContent = 'Not signed in'; status.dataset.state = 'signed-out'; status.dataset.queued = '0'; return; }
  const queued = app.queued > 0 ? ` — ${app.queued} edit${app.queued === 1 ? '' : 's'} queued` : '';
  status.textContent = words + queued;
  status.dataset.state = live.state;
  status.dataset.queued = String(app.queued);
}

function renderHeader(session) {
  const links = [h('a', { href: '#/' }, 'Workspace')];
  // Named for whose it is: the Secretariat monitors and reports, only the Chair acts from it.
  if (session?.role === 'secretariat') links.push(h('a', { href: '#/dashboard' }, 'Secretariat dashboard'));
  else if (session?.role === 'chair') links.push(h('a', { href: '#/dashboard' }, app.chair === session.member ? 'Chair dashboard' : 'Dashboard'));
  fill(header,
    h('a', { class: 'brand', href: '#/' }, h('span', { 'aria-hidden': 'true' }, '◎ '), 'AscCollab'),
    session ? h('nav', { 'aria-label': 'Main' }, links) : null,
    h('div', { class: 'who' },
      session ? [h('span', { id: 'signed-in-as' }, `${session.member} · ${session.role}`),
        h('button', { type: 'button', class: 'link', onClick: signOut }, 'Sign out')] : null,
      status));
  renderStatus();
}

async function signOut() {
  await live.stop();
  endSession();
  location.hash = '#/signin';
}

async function route() {
  const session = currentSession();
  shownSession = session;
  const hash = location.hash || '#/';
  if (!session && hash !== '#/signin') { location.hash = '#/signin'; return; }
  renderHeader(session);
  current?.dispose?.();
  current = null;
  const context = { app, live, session, navigate: (to) => { location.hash = to; } };
  let match;
  let view;
  if (hash === '#/signin') view = signInView;
  else if ((match = /^#\/proposals\/([\w-]+)$/.exec(hash))) view = (c) => proposalView(c, match[1]);
  else if ((match = /^#\/groups\/([\w-]+)$/.exec(hash))) view = (c) => groupView(c, match[1]);
  else if (hash === '#/dashboard') view = dashboardView;
  else view = workspaceView;
  if (session) {
    live.start();
    if (app.members.length === 0) { await loadReference(); renderHeader(session); }
  }
  current = view(context);
  fill(main, current.element);
  const heading = main.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

/** Members and the chairmanship: shown on every page, read once per sign-in. */
async function loadReference() {
  try {
    const [members, chair] = await Promise.all([api('/api/members'), api('/api/chairmanship')]);
    app.members = members;
    app.chair = chair.current;
  } catch (error) {
    app.members = [];
    console.warn('reference data', error);
  }
}

// Names, never codes or ids, where a person reads them. The secretariat is not on the roster: its
// code is the one its own tokens carry ('ASEC' unless the server's AscCollab:SecretariatCode says otherwise).
app.secretariat = 'ASEC';
app.memberName = (code) => app.members.find((m) => m.code === code)?.name
  ?? (code === app.secretariat || code === (currentSession()?.role === 'secretariat' ? currentSession().member : null) ? 'ASEAN Secretariat' : code);
/** Member codes in the order of their names (lists that show names). */
app.byName = (codes) => [...codes].sort((a, b) => app.memberName(a).localeCompare(app.memberName(b), 'en'));
app.activities = [];
app.activityTitle = (id) => app.activities.find((a) => a.id === id)?.title ?? null;
/** The Plan's activities, read again when one is missing (the Chair or the secretariat may add one). */
app.loadActivities = async () => { app.activities = await api('/api/activities'); return app.activities; };
app.resetReference = () => { app.members = []; app.chair = null; };

window.addEventListener('hashchange', route);
route();

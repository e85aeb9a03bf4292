import { h, fill } from '../dom.js';
import { api, ApiError } from '../api.js';
import { startSession } from '../session.js';

// Development: pick a member and a role and get a token from the local issuer. Elsewhere that
// issuer does not exist (404) and tokens come from the OpenID Connect provider configured as
// Auth:Authority / Auth:Audience on the server.

export function signInView({ app, navigate }) {
  const body = h('div', { class: 'panel' }, h('p', {}, 'Checking how this server signs people in…'));
  const element = h('section', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('p', { class: 'lede' }, 'AscCollab: the ASEAN member delegations co-draft proposed measures under the ASC Plan of Action and sign them off by consensus.'),
    body);
  detect(body, app, navigate);
  return { element };
}

async function detect(body, app, navigate) {
  let roster;
  try {
    // The roster is read with a short-lived secretariat token: in Development that is what the
    // local issuer is for, and the secretariat can read but never sign.
    const { token } = await api('/api/dev/token', { method: 'POST', body: { role: 'secretariat' } });
    roster = await api('/api/members', { token });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      fill(body,
        h('h2', {}, 'OpenID Connect sign-in'),
        h('p', { role: 'alert' },
          'This server is not running in Development, so it has no local token issuer. Delegations sign in through the ',
          'OpenID Connect provider of their foreign ministry: an OIDC authority must be configured on the server ',
          '(settings Auth:Authority and Auth:Audience). Ask the Secretariat for the sign-in address of your delegation.'));
      return;
    }
    fill(body, h('p', { role: 'alert' }, `The server could not be reached: ${error.message}`));
    return;
  }

  const member = h('select', { id: 'signin-member', name: 'member', required: true },
    roster.map((m) => h('option', { value: m.code }, `${m.name} (${m.code})`)));
  const role = h('select', { id: 'signin-role', name: 'role' },
    h('option', { value: 'delegate' }, 'Delegate'),
    h('option', { value: 'chair' }, 'Chair (the member holding the chairmanship)'),
    h('option', { value: 'secretariat' }, 'ASEAN Secretariat (reads and reports)'));
  const message = h('p', { class: 'error', role: 'alert' });
  // The secretariat is not a delegation: its token carries the secretariat's own code.
  role.addEventListener('change', () => { member.disabled = role.value === 'secretariat'; });
  const form = h('form', {
    class: 'stack',
    onSubmit: async (event) => {
      event.preventDefault();
      message.textContent = '';
      try {
        const { token } = await api('/api/dev/token', { method: 'POST', body: { member: member.value, role: role.value } });
        startSession(token);
        app.resetReference();
        navigate(role.value === 'delegate' ? '#/' : '#/dashboard');
      } catch (error) {
        message.textContent = error.message;
      }
    },
  },
  h('p', { class: 'note' }, 'Development server: choose who you are. Tokens come from the local issuer and are valid for this server run only.'),
  h('label', { for: 'signin-member' }, 'Member delegation'), member,
  h('label', { for: 'signin-role' }, 'Role'), role,
  h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in'),
  message);
  fill(body, form);
}

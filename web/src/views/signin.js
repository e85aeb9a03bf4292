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
  let chairmanship;
  try {
    // The roster and the chairmanship (both public) are read with a short-lived secretariat
    // token: in Development that is what the local issuer is for, and the secretariat can read
    // but never sign.
    const { token } = await api('/api/dev/token', { method: 'POST', body: { role: 'secretariat' } });
    [roster, chairmanship] = await Promise.all([api('/api/members', { token }), api('/api/chairmanship', { token })]);
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

  const holder = chairmanship.current ?? null;
  const holderName = holder ? roster.find((m) => m.code === holder)?.name ?? holder : null;
  const message = h('p', { class: 'error', role: 'alert' });
  const signIn = async (memberCode, roleName) => {
    message.textContent = '';
    try {
      const { token } = await api('/api/dev/token', { method: 'POST', body: { member: memberCode, role: roleName } });
      startSession(token);
      app.resetReference();
      navigate(roleName === 'delegate' ? '#/' : '#/dashboard');
    } catch (error) {
      message.textContent = error.message;
    }
  };

  const member = h('select', { id: 'signin-member', name: 'member', required: true },
    roster.map((m) => h('option', { value: m.code }, `${m.name} (${m.code})`)));
  // Chair is offered only with the member holding the chairmanship: a chair token of any other
  // member grants no Chair rights, and the dashboard would only refuse it.
  const chairOption = h('option', { value: 'chair', id: 'signin-role-chair' });
  const role = h('select', { id: 'signin-role', name: 'role' },
    h('option', { value: 'delegate' }, 'Delegate'),
    chairOption,
    h('option', { value: 'secretariat' }, 'ASEAN Secretariat (reads and reports)'));
  const fitRole = () => {
    const holds = holder !== null && member.value === holder;
    chairOption.disabled = !holds;
    chairOption.textContent = holds ? 'Chair (holds the chairmanship)'
      : holder ? `Chair — only ${holderName} (${holder}) holds the chairmanship now` : 'Chair — no member holds the chairmanship now';
    if (!holds && role.value === 'chair') role.value = 'delegate';
    // The secretariat is not a delegation: its token carries the secretariat's own code.
    member.disabled = role.value === 'secretariat';
  };
  member.addEventListener('change', fitRole);
  role.addEventListener('change', fitRole);
  fitRole();

  const chair = h('div', { class: 'chair-offer', id: 'signin-chair' },
    holder
      ? [h('p', {}, h('strong', {}, `${holderName} (${holder})`), ' holds the ASEAN chairmanship now.'),
        h('button', { type: 'button', class: 'primary', id: 'signin-as-chair', onClick: () => signIn(holder, 'chair') }, `Sign in as the Chair (${holderName})`)]
      : h('p', {}, 'No member holds the ASEAN chairmanship now (between terms): nobody can sign in as the Chair.'));
  const form = h('form', {
    class: 'stack',
    onSubmit: (event) => { event.preventDefault(); signIn(member.value, role.value); },
  },
  h('p', { class: 'note' }, 'Development server: choose who you are. Tokens come from the local issuer and are valid for this server run only.'),
  chair,
  h('label', { for: 'signin-member' }, 'Member delegation'), member,
  h('label', { for: 'signin-role' }, 'Role'), role,
  h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in'),
  message);
  fill(body, form);
}

import { h } from '../dom.js';
import { api } from '../api.js';

// The Chair sets up an ad-hoc group on behalf of the AMM: mandate, participants, coordinator, activities.

export function groupSetUpForm({ app }) {
  const message = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { role: 'status' });
  const id = h('input', { id: 'group-id', required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*', placeholder: 'e.g. scs-code-drafting' });
  const name = h('input', { id: 'group-name', required: true, maxLength: 200 });
  const mandate = h('textarea', { id: 'group-mandate-input', required: true, rows: 3 });
  const coordinator = h('select', { id: 'group-coordinator-input' }, [...app.members].sort((a, b) => a.name.localeCompare(b.name, 'en')).map((m) => h('option', { value: m.code }, `${m.name} (${m.code})`)));
  const participants = h('fieldset', { class: 'checks' }, h('legend', {}, 'Participants (none ticked: all members)'),
    app.members.map((m) => h('span', { class: 'check' }, h('input', { type: 'checkbox', id: `group-p-${m.code}`, value: m.code }), h('label', { for: `group-p-${m.code}`, title: m.name }, m.code))));
  const activities = h('select', { id: 'group-activities', required: true, multiple: true, size: 6 });
  api('/api/activities').then((list) => activities.replaceChildren(...list.map((a) => h('option', { value: a.id }, a.title))),
    (error) => { message.textContent = `Activities: ${error.message}`; });
  return h('form', {
    class: 'stack',
    onSubmit: async (event) => {
      event.preventDefault();
      message.textContent = '';
      done.textContent = '';
      try {
        const body = {
          id: id.value, name: name.value, mandate: mandate.value, coordinator: coordinator.value,
          activities: [...activities.selectedOptions].map((o) => o.value),
          participants: [...participants.querySelectorAll('input:checked')].map((c) => c.value),
        };
        const created = await api('/api/groups', { method: 'POST', body });
        event.target.reset();
        done.replaceChildren('Group set up: ', h('a', { href: `#/groups/${created.groupId}` }, created.name));
      } catch (error) {
        message.textContent = error.message;
      }
    },
  },
  h('label', { for: 'group-id' }, 'Id'), id,
  h('label', { for: 'group-name' }, 'Name'), name,
  h('label', { for: 'group-mandate-input' }, 'Mandate'), mandate,
  h('label', { for: 'group-coordinator-input' }, 'Coordinator'), coordinator,
  participants,
  h('label', { for: 'group-activities' }, 'Activities it covers (Ctrl or Shift to pick several)'), activities,
  h('button', { type: 'submit', class: 'primary' }, 'Set up group'), message, done);
}

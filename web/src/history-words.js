// The audit trail in people's words: "Malaysia edited the text", "Singapore signed off (concur) on
// the version as circulated on 4 Dec 2026", "Singapore (Chair) circulated the proposal". Pure
// functions (no DOM), tested in web/test/history-words.test.mjs. Revisions, hashes and codes stay
// out of the words; the page shows them only on demand ("Show hashes"), from the raw entries
// each item keeps.

const HASH = /\b[0-9a-f]{16,}\b/g;
const STATUS_WORDS = {
  Drafting: 'a draft', UnderConsideration: 'under consideration', ConsensusReached: 'consensus reached',
  Adopted: 'adopted', Blocked: 'blocked', Withdrawn: 'withdrawn',
};

/** 4 Dec 2026 (UTC): the day a version is named by. */
export const formatDay = (value) => new Date(value).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** 4 Dec 2026, 14:32 UTC: the moment a draft is named by. */
export const formatMoment = (value) => `${new Date(value).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;

/** "Malaysia", "Malaysia and Singapore", "Malaysia, Singapore and Thailand". */
export function listWords(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Names for the points of a proposal's life, from its audit trail (and, when the server names them,
 * its versions): which revision was "the text as proposed", "the version as circulated on 4 Dec 2026",
 * "the version adopted on …", and the time of every edit, so that any other revision reads as
 * "the draft of 4 Dec 2026, 14:32 UTC". `versions` = [{ revision, name }] from the server, optional.
 */
export function versionNames(entries, versions = []) {
  const named = new Map();
  const edits = []; // [revision, at] ascending
  for (const e of entries) {
    if (e.action === 'create') named.set(e.revision, named.get(e.revision) ?? 'the text as proposed');
    else if (e.action === 'circulate') named.set(e.revision, `the version as circulated on ${formatDay(e.at)}`);
    else if (e.action === 'adopt') named.set(e.revision, `the version adopted on ${formatDay(e.at)}`);
    else if (e.action === 'recommend') named.set(e.revision, `the version recommended to all members on ${formatDay(e.at)}`);
    if (e.action === 'edit' || e.action === 'create') edits.push([e.revision, e.at]);
  }
  for (const v of versions) if (v && v.name && Number.isFinite(v.revision)) named.set(v.revision, v.name);
  return {
    /** The name of the text at `revision` (never its number). */
    nameOf(revision) {
      if (named.has(revision)) return named.get(revision);
      let at = null;
      for (const [r, when] of edits) if (r <= revision) at = when;
      return at ? `the draft of ${formatMoment(at)}` : 'an earlier draft';
    },
    /** Revisions with a name: [{ revision, name }] in revision order. */
    named: () => [...named].map(([revision, name]) => ({ revision, name })).sort((a, b) => a.revision - b.revision),
  };
}

/**
 * The audit entries (oldest first) as items for people, oldest first:
 * `{ at, until, member, words, quote, entries }`. Consecutive edits by one delegation are one item
 * ("Malaysia edited the text (12 changes)"); `entries` keeps the raw entries for "Show hashes".
 * `memberName(code)`, `nameOf(id)` (activity or group title, or null) and `versions` (optional).
 */
export function historyItems(entries, { memberName, nameOf = () => null, versions = [] }) {
  const names = versionNames(entries, versions);
  const items = [];
  const who = (e) => {
    const role = String(e.role ?? '').toLowerCase();
    return role === 'chair' ? `${memberName(e.member)} (Chair)` : memberName(e.member);
  };
  for (const e of entries) {
    const last = items[items.length - 1];
    if (e.action === 'edit' && last && last.kind === 'edit' && last.member === e.member) {
      last.entries.push(e);
      last.until = e.at;
      last.words = `${who(e)} edited the text (${last.entries.length} changes)`;
      continue;
    }
    const { words, quote } = phrase(e, who(e), { memberName, nameOf, names });
    items.push({ kind: e.action, at: e.at, until: e.at, member: e.member, words, quote, entries: [e] });
  }
  return items;
}

function phrase(e, who, { memberName, nameOf, names }) {
  const detail = String(e.detail ?? '');
  let m;
  switch (e.action) {
    case 'create': {
      m = /^title "(.*)", activity (\S+), group (\S+), text sha256/s.exec(detail);
      if (!m) return { words: `${who} proposed the measure` };
      const activity = nameOf(m[2]);
      const group = m[3] === 'none' ? null : nameOf(m[3]);
      return { words: `${who} proposed “${m[1]}”${activity ? ` under “${activity}”` : ''}${group ? ` as a draft of “${group}”` : ''}` };
    }
    case 'edit':
      return { words: `${who} edited the text` };
    case 'sign-off': {
      m = /^([A-Za-z0-9]+): (\w+) on revision (\d+), text sha256 [0-9a-f]+(?:, reason: (.*))?$/s.exec(detail);
      if (!m) return { words: `${who} gave a position` };
      const signer = memberName(m[1]);
      const on = names.nameOf(Number(m[3]));
      if (m[2] === 'Pending') return { words: `${signer} set its position back to pending on ${on}` };
      return { words: `${signer} signed off (${m[2].toLowerCase()}) on ${on}`, quote: m[4] || null };
    }
    case 'withdraw-sign-off': {
      m = /^([A-Za-z0-9]+): (\w+) given on revision (\d+) withdrawn$/.exec(detail);
      return m ? { words: `${memberName(m[1])} withdrew its position (${m[2].toLowerCase()}) given on ${names.nameOf(Number(m[3]))}` } : { words: `${who} withdrew a position` };
    }
    case 'sign-offs-stale': {
      m = /^positions of (\S+) were given on earlier text/.exec(detail);
      const whose = m ? listWords(m[1].split(',').map(memberName)) : 'some delegations';
      return { words: `After ${who}’s edit, the sign-offs of ${whose} were on earlier text: renewal asked` };
    }
    case 'status': {
      m = /^(\w+) -> (\w+)$/.exec(detail);
      return { words: m ? `The proposal is now ${STATUS_WORDS[m[2]] ?? m[2]} (it was ${STATUS_WORDS[m[1]] ?? m[1]})` : 'The proposal’s status changed' };
    }
    case 'circulate': {
      m = /^(\w+): (.*?) to ([A-Z0-9,]+)$/.exec(detail);
      if (!m) return { words: `${who} circulated the proposal` };
      const rule = m[2].replace(/, deadline (\S+)$/, (_, d) => `, deadline ${formatMoment(d)}`);
      const count = m[3].split(',').length;
      return { words: `${who} circulated the proposal for sign-off to ${m[1] === 'Group' ? `the group’s ${count} participants` : `${count} members`} (${rule})` };
    }
    case 'deadline': {
      const at = Date.parse(detail);
      return { words: Number.isNaN(at) ? `${who} set the deadline` : `${who} set the deadline to ${formatMoment(detail)}` };
    }
    case 'recommend': {
      m = /^group (\S+) recommends revision (\d+)/.exec(detail);
      const group = m ? nameOf(m[1]) : null;
      return { words: `${who} recommended ${m ? names.nameOf(Number(m[2])) : 'the draft'} to all members${group ? ` on behalf of “${group}”` : ''}` };
    }
    case 'reopen':
      return { words: `${who} reopened drafting`, quote: plain(detail) };
    case 'adopt': {
      m = /revision (\d+)$/.exec(detail);
      return { words: `${who} recorded the adoption of ${m ? names.nameOf(Number(m[1])) : 'the proposal'}` };
    }
    case 'withdraw':
      return { words: `${who} withdrew the proposal`, quote: plain(detail) };
    case 'silence-deadline':
      return { words: detail.includes('broken') ? 'The silence deadline passed; silence had been broken by an objection' : 'The silence deadline passed without objection' };
    default:
      return { words: `${who}: ${String(e.action).replace(/-/g, ' ')}`, quote: plain(detail) };
  }
}

/** A free-text detail without hashes or revision numbers, or null when nothing readable is left. */
function plain(detail) {
  const text = String(detail ?? '').replace(HASH, '').replace(/\b(?:text )?sha256\b/g, '').replace(/\brevision \d+\b/g, 'the text').replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : null;
}

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
  for (const v of versions) if (v && v.name && Number.isFinite(v.revision) && v.kind !== 'Current') named.set(v.revision, serverVersionName(v));
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

/** A server version's name as people say it: "the version as circulated on 4 Dec 2026", "the version “Bangkok text”". */
export function serverVersionName(v) {
  const name = String(v.name);
  if (v.kind === 'Named') return `the version “${name}”`;
  if (v.kind === 'Proposed') return `the text ${name}`;
  return name.startsWith('as ') ? `the version ${name}` : name;
}

/**
 * The audit entries (oldest first) as items for people, oldest first:
 * `{ at, until, member, words, quote, entries }`. Consecutive edits by one delegation are one item
 * ("Malaysia edited the text (12 changes)"); `entries` keeps the raw entries for "Show hashes".
 * `memberName(code)`, `nameOf(id)` (activity or group title, or null) and `versions` (optional).
 */
export function historyItems(entries, { memberName, nameOf = () => null, versions = [], annotation = () => null }) {
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
    const { words, quote } = phrase(e, who(e), { memberName, nameOf, names, annotation });
    items.push({ kind: e.action, at: e.at, until: e.at, member: e.member, words, quote, entries: [e] });
  }
  return items;
}

/** "OP2" → "operative paragraph 2", "PP1" → "preambular paragraph 1". */
export function paragraphWords(number) {
  const m = /^(PP|OP)(\d+)$/.exec(String(number ?? ''));
  return m ? `${m[1] === 'PP' ? 'preambular' : 'operative'} paragraph ${m[2]}` : null;
}

/** "OP1, OP3" → "operative paragraphs 1 and 3"; mixed kinds are named one by one. */
export function paragraphsWords(numbers) {
  const list = numbers.filter((n) => paragraphWords(n));
  if (list.length === 1) return paragraphWords(list[0]);
  const kinds = new Set(list.map((n) => n.slice(0, 2)));
  if (kinds.size === 1) return `${list[0].startsWith('PP') ? 'preambular' : 'operative'} paragraphs ${listWords(list.map((n) => n.slice(2)))}`;
  return listWords(list.map(paragraphWords));
}

function phrase(e, who, { memberName, nameOf, names, annotation }) {
  // A change that recorded a version says so after its own detail ("…; recorded as version 2 …").
  const detail = String(e.detail ?? '').replace(/; recorded as version \d+ ".*$/s, '');
  let m;
  // An amendment or thread by id: "Malaysia's amendment to operative paragraph 2" (annotation(id) =
  // { author, paragraph } from the page's annotations, or null when not known).
  const amendmentWords = (id, author) => {
    const known = annotation(id) ?? {};
    const by = author ?? known.author;
    const where = paragraphWords(known.paragraph);
    return `${by ? `${memberName(by)}’s amendment` : 'an amendment'}${where ? ` to ${where}` : ''}`;
  };
  const threadWords = (id) => {
    const where = paragraphWords(annotation(id)?.paragraph);
    return `the discussion${where ? ` on ${where}` : ''}`;
  };
  const mentionWords = (text) => {
    const found = /mentions ([A-Z0-9,]+)/.exec(text);
    return found ? `, mentioning ${listWords(found[1].split(',').map(memberName))}` : '';
  };
  switch (e.action) {
    case 'amendment-tabled': {
      m = /^(\w+) \((\w+)\)/.exec(detail);
      const kind = m ? { Replace: ' (a replacement)', Insert: ' (an insertion)', Delete: ' (a deletion)' }[m[2]] ?? '' : '';
      const where = m ? paragraphWords(annotation(m[1])?.paragraph) : null;
      return { words: `${who} tabled an amendment${where ? ` to ${where}` : ''}${kind}` };
    }
    case 'amendment-position': {
      m = /^(\w+): ([A-Z0-9]+) (Support|Oppose|took its position back)/.exec(detail);
      if (!m) return { words: `${who} took a position on an amendment` };
      const on = amendmentWords(m[1]);
      return { words: m[3] === 'Support' ? `${memberName(m[2])} supported ${on}` : m[3] === 'Oppose' ? `${memberName(m[2])} opposed ${on}` : `${memberName(m[2])} took back its position on ${on}` };
    }
    case 'amendment-accepted': {
      m = /^(\w+) by ([A-Z0-9]+)/.exec(detail);
      return { words: m ? `${who} accepted ${amendmentWords(m[1], m[2])}: the text now has it, as ${memberName(m[2])}’s edit` : `${who} accepted an amendment` };
    }
    case 'amendment-rejected': {
      m = /^(\w+) by ([A-Z0-9]+): (.*)$/s.exec(detail);
      return m ? { words: `${who} rejected ${amendmentWords(m[1], m[2])}`, quote: m[3] } : { words: `${who} rejected an amendment` };
    }
    case 'amendment-withdrawn': {
      m = /^(\w+) by ([A-Z0-9]+)/.exec(detail);
      return { words: m ? `${who} withdrew ${amendmentWords(m[1], m[2])}` : `${who} withdrew an amendment` };
    }
    case 'amendment-outdated': {
      m = /^(\w+) by ([A-Z0-9]+)/.exec(detail);
      return { words: `${m ? capitalFirst(amendmentWords(m[1], m[2])) : 'An amendment'} is outdated: ${who}’s edit changed the text it amends` };
    }
    case 'comment': {
      m = /^(\w+) on/.exec(detail);
      const where = m ? paragraphWords(annotation(m[1])?.paragraph) : null;
      return { words: `${who} started a discussion${where ? ` on ${where}` : ''}${mentionWords(detail)}` };
    }
    case 'comment-reply':
      m = /^(\w+)/.exec(detail);
      return { words: `${who} replied in ${m ? threadWords(m[1]) : 'a discussion'}${mentionWords(detail)}` };
    case 'comment-resolved':
    case 'comment-reopened':
      return { words: `${who} ${e.action === 'comment-resolved' ? 'resolved' : 'reopened'} ${threadWords(detail.trim())}` };
    case 'comment-outdated':
    case 'comment-detached':
      m = /^(\w+)/.exec(detail);
      return { words: `${capitalFirst(m ? threadWords(m[1]) : 'a discussion')} ${e.action === 'comment-detached' ? 'lost its text' : 'is on changed text'}: ${who}’s edit ${e.action === 'comment-detached' ? 'deleted' : 'changed'} it` };
    case 'ad-referendum': {
      m = /^([A-Z0-9]+) agrees (\w+) ad referendum \(mark \d+\), pending (.*), by (\d{4}-\d{2}-\d{2})$/s.exec(detail);
      return m ? { words: `${memberName(m[1])} agreed ${paragraphWords(m[2]) ?? m[2]} ad referendum, pending ${m[3]}, by ${formatDay(m[4])}` }
        : { words: `${who} agreed a paragraph ad referendum` };
    }
    case 'ad-referendum-confirm':
    case 'ad-referendum-withdraw': {
      m = /^([A-Z0-9]+) (?:confirms|withdraws) its ad-referendum agreement on (\w+) \(mark \d+\)(?:: (.*))?$/s.exec(detail);
      const on = m ? paragraphWords(m[2]) ?? m[2] : 'a paragraph';
      const whose = m ? memberName(m[1]) : who;
      return { words: e.action === 'ad-referendum-confirm' ? `${whose} confirmed its agreement on ${on}: its capital confirmed` : `${whose} withdrew its ad-referendum agreement on ${on}: the paragraph is open again`, quote: m?.[3] || null };
    }
    case 'circulate-override-brackets': {
      m = /^(.*?) circulated with open brackets \([^)]*\): (.*)$/s.exec(detail);
      return m ? { words: `${who} circulated the text with open brackets in ${paragraphsWords(m[1].split(/,\s*/)) || 'some paragraphs'}`, quote: m[2] }
        : { words: `${who} circulated the text with open brackets` };
    }
    case 'version': {
      m = /^version \d+ "(.*)" \((\w+)\) of revision/s.exec(detail);
      if (!m) return { words: 'A version was recorded' };
      return { words: m[2] === 'Named' ? `${who} named a version: “${m[1]}”` : `Version recorded: ${m[1]}` };
    }
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

const capitalFirst = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** A free-text detail without hashes or revision numbers, or null when nothing readable is left. */
function plain(detail) {
  const text = String(detail ?? '').replace(HASH, '').replace(/\b(?:text )?sha256\b/g, '').replace(/\brevision \d+\b/g, 'the text').replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : null;
}

import { h, label } from '../dom.js';

// Status and position shown as words and a shape, never by colour alone.

const STATUS_MARK = { Drafting: '✎', UnderConsideration: '→', ConsensusReached: '✓', Adopted: '★', Blocked: '⊘', Withdrawn: '—' };

export const statusBadge = (status) =>
  h('span', { class: `badge status-${status}` }, h('span', { 'aria-hidden': 'true' }, `${STATUS_MARK[status] ?? ''} `), label(status));

const POSITION_MARK = { Pending: '…', Concur: '✓', Abstain: '○', Object: '✗' };

/** A member's position; `stale` adds the renew marker. */
export function positionBadge(position, stale) {
  return h('span', { class: `badge position-${position}${stale ? ' stale' : ''}`, dataset: { position, stale: String(Boolean(stale)) } },
    h('span', { 'aria-hidden': 'true' }, `${POSITION_MARK[position] ?? ''} `),
    label(position),
    stale ? h('span', { class: 'stale-mark' }, ' (stale)') : null);
}

/** The sign-off of `member` in a summary's list, or a pending one. */
export function signOffOf(summary, member) {
  return summary.signOffs.find((s) => s.member === member) ?? { member, position: 'Pending', stale: false, revision: null };
}

export const isOverdue = (summary, now = Date.now()) =>
  summary.status === 'UnderConsideration' && summary.deadline && new Date(summary.deadline).getTime() < now;

export const DEADLINE_SOON_MS = 7 * 24 * 3600 * 1000;

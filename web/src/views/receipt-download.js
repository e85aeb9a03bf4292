import { h } from '../dom.js';
import { api } from '../api.js';

// Receipts: the server answers a sign-off, an objection and a withdrawal with a signed receipt (a
// compact JWS, docs/api.md). The latest one per proposal and member is kept for this page's life;
// after a reload it is fetched again from GET /api/proposals/{id}/receipts (same facts, signed anew).

const latest = new Map();
const keyOf = (proposalId, member) => `${proposalId}|${member}`;

/** Keeps the receipt of an answer (hub SignOff or REST), if it has one. */
export function rememberReceipt(proposalId, member, answer) {
  if (typeof answer?.receipt === 'string') latest.set(keyOf(proposalId, member), answer.receipt);
}

/** The claims of a receipt, unverified (for the file name and what the page says). */
export function receiptClaims(jws) {
  const payload = jws.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** receipt-p-….-MY-rev12.jws */
export const receiptFileName = (claims) => `receipt-${claims.proposal}-${claims.member}-rev${claims.revision}.jws`;

/** "Download receipt", when the member has a position or a receipt from this page; null otherwise. */
export function receiptButton({ proposalId, member, hasPosition, onError }) {
  if (!hasPosition && !latest.has(keyOf(proposalId, member))) return null;
  return h('button', {
    type: 'button',
    id: 'signoff-receipt',
    title: 'The signed receipt of your latest position: keep it to prove what your delegation agreed to.',
    onClick: async () => {
      try {
        let jws = latest.get(keyOf(proposalId, member));
        if (!jws) {
          const own = (await api(`/api/proposals/${proposalId}/receipts`)).filter((r) => r.claims.member === member && r.claims.act !== 'Adoption');
          jws = own.at(-1)?.receipt;
          if (!jws) { onError('There is no receipt of your delegation on this proposal yet.'); return; }
          latest.set(keyOf(proposalId, member), jws);
        }
        const link = h('a', { href: URL.createObjectURL(new Blob([jws], { type: 'application/jose' })), download: receiptFileName(receiptClaims(jws)) });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      } catch (error) {
        onError(error.message);
      }
    },
  }, 'Download receipt');
}

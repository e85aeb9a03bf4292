import { type } from 'ot-text-unicode';

// The client side of the editing protocol, as ShareDB clients do it: at most one operation in
// flight (sent, not yet acknowledged) and a buffer of local operations composed while it is.
// Incoming edits and our acknowledgement are applied strictly in revision order; an incoming
// edit is transformed over the in-flight and buffered operations (the server sequenced it
// first, so ours are 'left' of it, exactly as the server transforms ours over it).
//
// transport: {
//   submit(baseRevision, op, opId) -> Promise<{ revision }>   (SubmitTrackedEdit; rejects with Error{ code } on refusal)
//   editsSince(revision) -> Promise<[{ revision, op, member }]>
//   resync(revision, op, textHash) -> Promise<[{ revision, op, member }]>   (optional: Resync, which refuses
//     with revision_lost when storage no longer has our revision as we know it)
// }
// The client never talks to SignalR itself, so this file runs unchanged under node --test.

const GAP_REPAIR_DELAY_MS = 200;
const RECENT_OPS = 256;

export class DocumentClient {
  constructor({ snapshot, member, transport, onText = () => {}, onState = () => {}, onRefused = () => {}, onRemoteOp = () => {}, onLost = () => {} }) {
    this.member = member;
    this.transport = transport;
    this.revision = snapshot.revision;
    this.text = snapshot.text;
    this.inflight = null; // { op, count, ackRevision }
    this.pending = null; // { op, count }
    this.incoming = new Map(); // revision -> edit from another connection
    this.online = true;
    this.onText = onText;
    this.onState = onState;
    this.onRefused = onRefused;
    this.onRemoteOp = onRemoteOp;
    this.gapTimer = null;
    this.resyncing = null;
    this.recent = new Map(); // revision -> committed op, to bring others' cursors up to date
    this.onLost = onLost;
    // The text hash of the snapshot's revision: what we hold there when we have no op for it (Resync).
    this.snapshotRevision = snapshot.revision;
    this.snapshotHash = snapshot.textHash ?? null;
    this.halted = false; // after revision_lost, until reset(): nothing is sent or applied
  }

  remember(revision, op) {
    this.recent.set(revision, op);
    if (this.recent.size > RECENT_OPS) this.recent.delete(this.recent.keys().next().value);
  }

  /**
   * A position in the committed text of `revision` (someone's cursor) as a position in the
   * text this client shows: through the committed ops since, then our unacknowledged ones.
   * Null when the ops in between are no longer known.
   */
  localPosition(position, revision) {
    for (let r = revision + 1; r <= this.revision; r++) {
      const op = this.recent.get(r);
      if (!op) return null;
      position = type.transformPosition(position, op);
    }
    if (revision > this.revision) return null;
    if (this.inflight) position = type.transformPosition(position, this.inflight.op);
    if (this.pending) position = type.transformPosition(position, this.pending.op);
    return position;
  }

  /** Local edits not yet acknowledged by the server. */
  get queued() {
    return (this.inflight?.count ?? 0) + (this.pending?.count ?? 0);
  }

  /** A local edit, already shown in the editor: op turns this.text into the editor's new text. */
  localEdit(op) {
    op = type.normalize(op);
    if (op.length === 0) return;
    this.text = type.apply(this.text, op);
    this.pending = this.pending
      ? { op: type.compose(this.pending.op, op), count: this.pending.count + 1 }
      : { op, count: 1 };
    this.onState();
    this.flush();
  }

  /** An EditApplied event pushed by the hub. */
  receive(edit) {
    if (this.halted || edit.revision <= this.revision) return; // already applied (e.g. via gap repair)
    this.incoming.set(edit.revision, edit);
    this.drain();
  }

  setOnline(online) {
    this.online = online;
    // Sent on a connection that is gone: it may have committed without our hearing of it.
    if (!online && this.inflight && this.inflight.ackRevision === null) this.inflight.uncertain = true;
    this.onState();
    if (online) this.flush();
  }

  flush() {
    if (this.inflight || !this.pending || !this.online || this.resyncing || this.halted) return;
    this.inflight = { ...this.pending, ackRevision: null, opId: newOpId(), uncertain: false };
    this.pending = null;
    this.onState();
    this.send(this.inflight);
  }

  /** Submits the in-flight op on the current revision; a resend keeps its opId, so the server applies it once. */
  send(sending) {
    this.transport.submit(this.revision, sending.op, sending.opId).then(
      (ack) => {
        if (this.inflight !== sending) return; // already acknowledged (from the log or a pushed edit) or dropped
        sending.ackRevision = ack.revision;
        this.drain();
      },
      (error) => {
        if (this.inflight !== sending) return;
        if (error?.code === LOST) {
          this.lost(error);
          return;
        }
        if (isRefusal(error)) {
          this.refused(error);
          return;
        }
        // The connection dropped: whether the edit committed is unknown until resync().
        sending.uncertain = true;
      });
  }

  /**
   * After a drop, our own edit may reach us as a pushed edit (the old connection's call
   * committed after the new connection opened the proposal): by our member, and equal to our
   * in-flight op as transformed so far, it is that op (docs/hub.md, reconnect step 3).
   */
  isOwnCommit(edit) {
    const inflight = this.inflight;
    return Boolean(inflight && inflight.uncertain && inflight.ackRevision === null
      && edit.member === this.member && sameOp(edit.op, inflight.op));
  }

  acknowledge(revision, op) {
    this.remember(revision, op);
    this.revision = revision;
    this.inflight = null;
  }

  /** Applies incoming edits and our acknowledgement in revision order. */
  drain() {
    if (this.halted) return;
    for (;;) {
      const next = this.revision + 1;
      if (this.inflight?.ackRevision === next) {
        this.acknowledge(next, this.inflight.op);
        this.onState();
        this.flush();
        continue;
      }
      const edit = this.incoming.get(next);
      if (!edit) break;
      this.incoming.delete(next);
      if (this.isOwnCommit(edit)) {
        this.acknowledge(next, edit.op);
        this.onState();
        this.flush();
        continue;
      }
      this.applyRemote(edit);
    }
    for (const revision of this.incoming.keys()) if (revision <= this.revision) this.incoming.delete(revision);
    this.scheduleGapRepair();
  }

  applyRemote(edit) {
    let op = edit.op;
    if (this.inflight) {
      const mine = type.transform(this.inflight.op, op, 'left');
      op = type.transform(op, this.inflight.op, 'right');
      this.inflight.op = mine; // same object: the pending ack handler compares identity
    }
    if (this.pending) {
      const mine = type.transform(this.pending.op, op, 'left');
      op = type.transform(op, this.pending.op, 'right');
      this.pending.op = mine;
    }
    this.remember(edit.revision, edit.op);
    this.text = type.apply(this.text, op);
    this.revision = edit.revision;
    this.onRemoteOp(op, edit);
    this.onText(op);
    this.onState();
  }

  /**
   * Events arrive out of order only when something was lost (or our own ack is still on
   * its way): after a short wait, fetch what is missing from the log.
   */
  scheduleGapRepair() {
    const waiting = this.incoming.size > 0 || (this.inflight?.ackRevision ?? 0) > this.revision + 1;
    if (!waiting || this.gapTimer || !this.online) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      const stillWaiting = this.incoming.size > 0 || (this.inflight?.ackRevision ?? 0) > this.revision + 1;
      if (stillWaiting && this.online) this.catchUp().catch(() => {});
    }, GAP_REPAIR_DELAY_MS);
  }

  /** Gap repair while connected: apply logged edits up to (not including) our unacknowledged one. */
  async catchUp() {
    const edits = await this.transport.editsSince(this.revision);
    for (const edit of edits) {
      if (edit.revision <= this.revision) continue;
      if (edit.revision === this.inflight?.ackRevision) break; // ours: drain() takes it
      if (this.inflight && this.inflight.ackRevision === null && edit.member === this.member && !this.inflight.uncertain) {
        break; // could be ours; its ack decides
      }
      this.incoming.set(edit.revision, edit);
    }
    this.drain();
  }

  /**
   * After a reconnect (docs/hub.md): read every edit after our last revision. The in-flight
   * edit either committed (then it is in that list, transformed over the edits before it, by
   * our member) or it did not (then it is sent again, rebased, with the same opId, so the
   * server answers with the first submission's revision if that one commits late). Either way
   * it lands once.
   */
  async resync() {
    if (this.resyncing) return this.resyncing;
    this.resyncing = (async () => {
      let edits;
      try {
        edits = await this.readSinceOurRevision();
      } catch (error) {
        if (error?.code !== LOST) throw error;
        this.lost(error);
        return;
      }
      for (const edit of edits) {
        if (edit.revision <= this.revision) continue;
        if (this.inflight && edit.revision === this.inflight.ackRevision) {
          this.acknowledge(edit.revision, edit.op);
          continue;
        }
        if (this.inflight && this.inflight.ackRevision === null && edit.member === this.member && sameOp(edit.op, this.inflight.op)) {
          this.acknowledge(edit.revision, edit.op); // committed before the connection dropped
          continue;
        }
        this.applyRemote(edit); // also rebases the in-flight op, as the server did
      }
    })();
    try {
      await this.resyncing;
    } finally {
      this.resyncing = null;
      // Events pushed while the log was read: keep the newer ones, in order.
      for (const revision of [...this.incoming.keys()]) if (revision <= this.revision) this.incoming.delete(revision);
      this.onState();
      this.drain();
      // Not in the log: send it again, rebased, under the same opId; the buffer follows its ack.
      if (this.inflight && this.inflight.ackRevision === null && this.online) this.send(this.inflight);
      this.flush();
    }
  }

  /**
   * The edits after our revision; with Resync, also telling the server what we hold at it (the op we
   * have as that revision, else the snapshot's text hash), so storage that lost it cannot go unnoticed.
   */
  readSinceOurRevision() {
    if (!this.transport.resync) return this.transport.editsSince(this.revision);
    const op = this.recent.get(this.revision) ?? null;
    const textHash = op === null && this.revision === this.snapshotRevision ? this.snapshotHash : null;
    return this.transport.resync(this.revision, op, textHash);
  }

  /**
   * revision_lost: the server's storage lost changes it had acknowledged to us (docs/hub.md). Nothing of
   * ours is merged onto its other content: our text (acknowledged and unacknowledged edits alike) is
   * handed to onLost as a copy, the edits are dropped, and the view reloads and offers to re-apply it.
   */
  lost(error) {
    const copy = { text: this.text, revision: this.revision, queued: this.queued };
    this.halted = true; // typing goes on into this.text (our copy) until the view resets
    this.inflight = null;
    this.pending = null;
    this.incoming.clear();
    this.onState();
    this.onLost(error, copy);
  }

  /** After the hub reconnected and the proposal was opened again. */
  async reconnected() {
    this.online = true;
    await this.resync();
  }

  refused(error) {
    const lost = this.queued;
    this.inflight = null;
    this.pending = null;
    this.onState();
    this.onRefused(error, lost);
  }

  /** Replace everything with a fresh snapshot (after a refusal); unacknowledged edits are gone. */
  reset(snapshot) {
    this.revision = snapshot.revision;
    this.text = snapshot.text;
    this.inflight = null;
    this.pending = null;
    this.incoming.clear();
    this.recent.clear(); // after a loss, these revisions may name other edits now
    this.halted = false;
    this.snapshotRevision = snapshot.revision;
    this.snapshotHash = snapshot.textHash ?? null;
    this.onText(null);
    this.onState();
  }
}

/** The code for storage that lost acknowledged changes (docs/errors.md). */
export const LOST = 'revision_lost';

const REFUSAL_CODES = new Set(['not_found', 'forbidden', 'invalid_op', 'stale_revision', 'too_large', 'locked', 'rate_limited', 'invalid_input']);

/** A refusal is an answer from the server; anything else means the connection dropped. */
export function isRefusal(error) {
  return REFUSAL_CODES.has(error?.code);
}

/** A client op id: 1–64 of A-Z a-z 0-9 _ - (SubmitTrackedEdit). */
function newOpId() {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function sameOp(a, b) {
  return a !== null && b !== null && JSON.stringify(type.normalize(a)) === JSON.stringify(type.normalize(b));
}

'use strict';
// The client side of the AscCollab editing protocol (docs/hub.md), as the browser client does it:
// one operation in flight, later local edits composed into a buffer, remote edits applied in
// revision order and transformed over both; gap repair and reconnect through GetEditsSince.
const signalR = require('@microsoft/signalr');
const { type } = require('ot-text-unicode');

const GAP_REPAIR_MS = 150;

async function devToken(baseUrl, member, role) {
  const response = await fetch(`${baseUrl}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ member, role }),
    signal: AbortSignal.timeout(10000),
  });
  if (!response.ok) throw new Error(`token for ${member}/${role}: HTTP ${response.status}`);
  return (await response.json()).token;
}

async function connect(baseUrl, token, { negotiate = false } = {}) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${baseUrl}/hubs/collab`, negotiate
      ? { accessTokenFactory: () => token }
      : { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.serverTimeoutInMilliseconds = 30000;
  await withTimeout(connection.start(), 10000, 'connect');
  return connection;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout: ${what} after ${ms} ms`)), ms); }),
  ]);
}

/**
 * The code of a hub refusal, or null for a transport failure. SignalR delivers a HubException as
 * "An unexpected error occurred invoking 'X' on the server. HubException: forbidden: ...".
 */
function codeOf(error) {
  const match = /(?:^|HubException: )([a-z_]+): /.exec(String(error && error.message));
  return match ? match[1] : null;
}

function codePoints(text) { return [...text].length; }

const sameOp = (a, b) => JSON.stringify(a) === JSON.stringify(b);

class Editor {
  constructor(baseUrl, token, member, proposalId, options = {}) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.member = member;
    this.proposalId = proposalId;
    this.dropRate = options.dropRate || 0; // test hook: lose this share of EditApplied events
    this.random = options.random || Math.random;
    this.tracked = options.tracked !== false; // SubmitTrackedEdit with an op id, so a resend after a lost ack is not applied twice
    this.text = '';
    this.revision = -1;
    this.inflight = null;       // { op, base } sent, not yet acknowledged
    this.ackedAt = null;        // revision of the in-flight op once its ack came
    this.buffer = null;         // local edits made while one is in flight, composed
    this.pending = new Map();   // remote edits by revision, waiting for their turn
    this.acks = [];             // revisions of this editor's acknowledged edits
    this.refusals = [];         // codes of edits the server refused
    this.repairs = 0;
    this.resyncs = 0;
    this.online = false;
    this.recovering = false;    // after a reconnect, until the op in flight before it is acknowledged
    this.gapTimer = null;
    this.waiters = [];
    this.pushed = new Set();    // revisions received as EditApplied (to check that own edits are not echoed)
    this.lastPushed = -1;
    this.outOfOrder = 0;        // EditApplied received below an earlier one
    this.earlyAcks = 0;         // acks received before the EditApplied they follow
  }

  async open() {
    this.connection = await connect(this.baseUrl, this.token);
    this.connection.on('EditApplied', (m) => this.onEditApplied(m));
    this.connection.onclose(() => { this.online = false; });
    const snapshot = await withTimeout(this.connection.invoke('OpenProposal', this.proposalId), 10000, 'OpenProposal');
    this.online = true;
    if (this.revision < 0) {
      this.text = snapshot.text;
      this.revision = snapshot.revision;
    }
    this.advance();
    return snapshot;
  }

  /** A local edit: applied at once, sent when nothing is in flight. */
  edit(op) {
    this.text = type.apply(this.text, op);
    this.buffer = this.buffer ? type.compose(this.buffer, op) : op;
    this.flush();
  }

  flush() {
    if (this.inflight || !this.buffer || !this.online) return;
    const op = this.buffer;
    this.buffer = null;
    this.inflight = { op, base: this.revision };
    this.send();
  }

  send() {
    const sent = this.inflight;
    if (this.tracked && !sent.opId) sent.opId = `${this.member}-${Date.now().toString(36)}-${Math.floor(this.random() * 1e9).toString(36)}`;
    const call = this.tracked
      ? this.connection.invoke('SubmitTrackedEdit', this.proposalId, sent.base, sent.op, sent.opId)
      : this.connection.invoke('SubmitEdit', this.proposalId, sent.base, sent.op);
    call.then(
      (ack) => {
        if (this.inflight !== sent) return;
        if (ack.revision !== this.revision + 1) this.earlyAcks++;
        this.ackedAt = ack.revision;
        this.advance();
      },
      (error) => {
        if (this.inflight !== sent) return;
        const code = codeOf(error);
        if (code === null) return; // connection lost: the reconnect decides whether it was committed
        // Refused: the server changed nothing. Undo it locally by resyncing from a fresh snapshot.
        this.refusals.push(code);
        this.inflight = null;
        this.recovering = false;
        this.buffer = null;
        this.reload().catch(() => {});
      });
  }

  async reload() {
    const snapshot = await this.connection.invoke('OpenProposal', this.proposalId);
    this.text = snapshot.text;
    this.revision = snapshot.revision;
    this.pending.clear();
    this.advance();
  }

  onEditApplied(message) {
    if (message.proposalId !== this.proposalId) return;
    this.pushed.add(message.revision);
    if (message.revision < this.lastPushed) this.outOfOrder++;
    this.lastPushed = message.revision;
    if (message.revision <= this.revision) return;
    if (this.dropRate > 0 && this.random() < this.dropRate) return;
    this.pending.set(message.revision, message);
    this.advance();
  }

  /** Applies what is next in revision order: a remote edit, or the ack of the in-flight op. */
  advance() {
    for (;;) {
      const next = this.revision + 1;
      if (this.inflight && this.ackedAt === next) {
        this.acks.push(next);
        this.revision = next;
        this.inflight = null;
        this.ackedAt = null;
        this.recovering = false;
        this.flush();
        continue;
      }
      const remote = this.pending.get(next);
      if (!remote) break;
      this.pending.delete(next);
      if (this.recovering && this.inflight && this.ackedAt === null && remote.member === this.member && sameOp(remote.op, this.inflight.op)) {
        // Our in-flight op was committed but its ack was lost with the old connection: from the log,
        // or pushed to the new connection when the old connection's call committed after it joined.
        this.ackedAt = next;
        continue;
      }
      let op = remote.op;
      if (this.inflight) {
        const mine = this.inflight.op;
        this.inflight.op = type.transform(mine, op, 'left');
        op = type.transform(op, mine, 'right');
      }
      if (this.buffer) {
        const mine = this.buffer;
        this.buffer = type.transform(mine, op, 'left');
        op = type.transform(op, mine, 'right');
      }
      this.text = type.apply(this.text, op);
      this.revision = next;
    }
    this.scheduleGapRepair();
    this.notify();
  }

  /**
   * A gap: edits wait after a missing revision, or our ack names a revision past the next one
   * (everything between was lost, so nothing may be pending). Our own unacked op may be the gap,
   * so not while one is unacknowledged.
   */
  get gapKnown() {
    if (this.inflight && this.ackedAt === null) return false;
    return this.pending.size > 0 || (this.ackedAt !== null && this.ackedAt > this.revision + 1);
  }

  /** Edits after a gap wait briefly; if the gap stays (a lost event), fetch it. */
  scheduleGapRepair() {
    if (!this.gapKnown || this.gapTimer || !this.online) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      this.repair().catch(() => {});
    }, GAP_REPAIR_MS);
  }

  async repair() {
    if (!this.online || !this.gapKnown) return;
    this.repairs++;
    const edits = await this.connection.invoke('GetEditsSince', this.proposalId, this.revision);
    for (const e of edits) {
      if (e.revision > this.revision && e.revision !== this.ackedAt && !this.pending.has(e.revision)) {
        this.pending.set(e.revision, { proposalId: this.proposalId, revision: e.revision, op: e.op, member: e.member });
      }
    }
    this.advance();
  }

  /** Drops the connection at once (in-flight calls fail as a transport error; their acks are lost). */
  async drop() {
    this.online = false;
    await this.connection.stop();
  }

  /** Reconnects and resyncs from the last revision without losing or duplicating unacknowledged edits. */
  async reconnect() {
    this.resyncs++;
    this.connection = await connect(this.baseUrl, this.token);
    this.connection.on('EditApplied', (m) => this.onEditApplied(m));
    this.connection.onclose(() => { this.online = false; });
    await this.connection.invoke('OpenProposal', this.proposalId);
    const edits = await this.connection.invoke('GetEditsSince', this.proposalId, this.revision);
    for (const e of edits) {
      if (e.revision > this.revision) {
        this.pending.set(e.revision, { proposalId: this.proposalId, revision: e.revision, op: e.op, member: e.member });
      }
    }
    this.recovering = this.inflight !== null && this.ackedAt === null;
    this.advance();
    this.online = true;
    if (this.inflight && this.ackedAt === null) {
      // Not in the log: never committed. Send it again on the current revision.
      this.inflight.base = this.revision;
      this.send();
    } else {
      this.flush();
    }
  }

  get settled() { return !this.inflight && !this.buffer; }

  notify() {
    const ready = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !w.test());
    ready.forEach((w) => w.resolve());
  }

  /** Resolves once test() holds (checked after every change), or rejects after ms. */
  until(test, ms, what) {
    if (test()) return Promise.resolve();
    return withTimeout(new Promise((resolve) => this.waiters.push({ test, resolve })), ms, `${this.member}: ${what}`);
  }

  async close() {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    await this.connection.stop();
  }
}

module.exports = { devToken, connect, withTimeout, codeOf, codePoints, Editor, type };

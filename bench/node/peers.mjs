// The peers' clients for load.mjs: the same surface as its SignalR Client (open, edit, idle,
// onAckedHook, doc, revision, connected, close), each running its peer's own client library.
//
// ShareDB: sharedb's client Connection and Doc over a ws WebSocket (ShareDB's JSON protocol, as
// @teamwork/websocket-json-stream serves it). ShareDB keeps one op in flight and composes later
// local ops into the pending one — the protocol our client runs. An op is identified by its
// connection id and sequence number (src:seq): ack = the server's reply to our op, seen = the
// op's broadcast arriving at another client.
//
// Hocuspocus: @hocuspocus/provider on a Yjs document, the text in the Y.Text "text". Every local
// change is sent at once as one update; the server answers each with a sync status, in order, so
// ack = the sync status that takes the provider's unsynced count below the number of our updates
// still waiting. An edit is identified by its Yjs id (client:clock; a one-character insert is
// one clock), seen = an update holding that id arriving at another client.
import { ArrivalWebSocket } from './arrival.mjs';
import ShareDBClient from 'sharedb/lib/client/index.js';
import { HocuspocusProvider } from '@hocuspocus/provider';
import * as Y from 'yjs';

const wsUrl = (url) => url.replace(/^http/, 'ws');

// Registered on the client too: ShareDB looks the document's type up by its URI.
let registered = false;
function shareDbConnection(context) {
  if (!registered) {
    ShareDBClient.types.register(context.text);
    registered = true;
  }
  return new ShareDBClient.Connection(new ArrivalWebSocket(wsUrl(context.config.url)));
}

function onceOr(emitter, event, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    // Hocuspocus' emitter has on/off only.
    const handler = (value) => { clearTimeout(timer); emitter.off(event, handler); resolve(value); };
    emitter.on(event, handler);
  });
}

class Keystrokes {
  constructor(context, index) {
    this.context = context;
    this.rand = context.random((context.config.seed ?? 1) * 7919 + index);
  }

  // One one-character insert at a random position; returns [position, character, stamp].
  next(length, made) {
    const { counters } = this.context;
    const position = Math.floor(this.rand() * (length + 1));
    const ch = 'abcdefghijklmnopqrstuvwxyz '[Math.floor(this.rand() * 27)];
    counters.ops++;
    const measured = made >= this.context.measureFrom && made < this.context.measureTo;
    if (measured) counters.measuredOps++;
    return [position, ch, measured ? made : -1];
  }
}

// What the load generator reads of every client.
class PeerClient {
  // The open-loop schedule's random phase comes from the client's own generator, as ours.
  rand() { return this.keys.rand(); }
}

class ShareDbPeerClient extends PeerClient {
  constructor(context, index, proposalId, node) {
    super();
    this.context = context;
    this.index = index;
    this.node = node;
    this.proposalId = proposalId;
    this.keys = new Keystrokes(context, index);
    this.unsent = []; // stamps of the local ops composed into the pending op
    this.sent = new Map(); // seq → stamps of the op in flight
    this.onAckedHook = null;
    this.presenceMessages = 0;
  }

  async open() {
    const { context } = this;
    this.connection = shareDbConnection(context);
    this.connection.on('error', (err) => context.countError(err));
    this.connection.on('send', (m) => {
      if (m.a === 'op' && m.d === this.proposalId && !this.sent.has(m.seq)) {
        this.sent.set(m.seq, this.unsent);
        this.unsent = [];
      }
    });
    this.connection.on('receive', (request) => this.onReceive(request.data));
    this.shared = this.connection.get('bench', this.proposalId);
    if (context.config.joinProposal === false) {
      await onceOr(this.connection, 'connected', context.config.openTimeoutSeconds * 1000, 'connect');
      return;
    }
    await new Promise((resolve, reject) => this.shared.subscribe((err) => (err ? reject(err) : resolve())));
    if (this.shared.type === null) throw new Error(`document ${this.proposalId} does not exist`);
  }

  get member() { return this.connection.id; }

  get doc() { return this.shared?.data; }

  get revision() { return this.shared?.version; }

  onReceive(m) {
    if (m.a !== 'op' || m.d !== this.proposalId || m.src === undefined) return;
    const at = this.context.arrivedAt();
    if (m.src === this.connection.id) {
      const stamps = this.sent.get(m.seq);
      if (stamps === undefined) return;
      this.sent.delete(m.seq);
      if (m.error) { this.context.countError(m.error.message ?? m.error.code); return; }
      this.context.acked(this, `${m.src}:${m.seq}`, stamps, at);
    } else if (m.v === this.shared.version) {
      // Applied now. (ShareDB may deliver an op twice — by its subscription and by a catch-up
      // fetch after a gap; the doc ignores the copy below its version and refetches above it.)
      this.context.seen(this, `${m.src}:${m.seq}`, m.src, at);
    }
  }

  edit(made = this.context.now()) {
    const [position, ch, stamp] = this.keys.next(this.shared.data.length, made);
    const busy = this.shared.inflightOp !== null || this.shared.pendingOps.length > 0;
    if (busy) this.context.counters.composed++;
    else this.context.counters.submits++;
    this.unsent.push(stamp);
    this.shared.submitOp(position > 0 ? [position, ch] : [ch], (err) => {
      if (err) this.context.countError(err);
      if (this.idle && this.onAckedHook) this.onAckedHook();
    });
  }

  get idle() { return this.shared.inflightOp === null && this.shared.pendingOps.length === 0; }

  get connected() { return this.connection.state === 'connected'; }

  close() {
    this.connection.close();
    return Promise.resolve();
  }
}

class HocuspocusPeerClient extends PeerClient {
  constructor(context, index, proposalId, node) {
    super();
    this.context = context;
    this.index = index;
    this.node = node;
    this.proposalId = proposalId;
    this.keys = new Keystrokes(context, index);
    this.waiting = []; // { key, stamp } of our updates not yet confirmed, oldest first
    this.stamp = -1;
    this.onAckedHook = null;
    this.presenceMessages = 0;
  }

  async open() {
    const { context } = this;
    this.ydoc = new Y.Doc();
    this.text = this.ydoc.getText('text');
    this.member = String(this.ydoc.clientID);
    this.provider = new HocuspocusProvider({
      url: wsUrl(context.config.url),
      name: this.proposalId,
      document: this.ydoc,
      WebSocketPolyfill: ArrivalWebSocket,
    });
    this.ydoc.on('update', (update, origin) => this.onUpdate(update, origin));
    this.provider.on('unsyncedChanges', ({ number }) => this.onUnsynced(number));
    if (context.config.joinProposal === false) {
      await onceOr(this.provider, 'synced', context.config.openTimeoutSeconds * 1000, 'connect');
      return;
    }
    if (!this.provider.isSynced) await onceOr(this.provider, 'synced', context.config.openTimeoutSeconds * 1000, 'sync');
    // The initial text arrives with the sync; wait for the provider's own sync round to settle too.
    for (let i = 0; i < 500 && this.provider.unsyncedChanges > 0; i++) await new Promise((r) => setTimeout(r, 10));
  }

  get doc() { return this.text?.toString(); }

  // Yjs has no revision: the number of ids this client has seen, summed over every client.
  get revision() {
    let sum = 0;
    for (const clock of Y.decodeStateVector(Y.encodeStateVector(this.ydoc)).values()) sum += clock;
    return sum;
  }

  onUpdate(update, origin) {
    const at = this.context.arrivedAt();
    const meta = Y.parseUpdateMeta(update);
    if (origin === this.provider) {
      for (const [client, from] of meta.from) {
        if (client === this.ydoc.clientID) continue;
        const to = meta.to.get(client);
        for (let clock = from; clock < to; clock++) this.context.seen(this, `${client}:${clock}`, String(client), at);
      }
      return;
    }
    // Our own edit: one update, one clock.
    const from = meta.from.get(this.ydoc.clientID);
    this.waiting.push({ key: `${this.ydoc.clientID}:${from}`, stamp: this.stamp });
  }

  onUnsynced(number) {
    const at = this.context.arrivedAt();
    while (this.waiting.length > number) {
      const { key, stamp } = this.waiting.shift();
      this.context.acked(this, key, [stamp], at);
    }
    if (this.waiting.length === 0 && this.onAckedHook) this.onAckedHook();
  }

  edit(made = this.context.now()) {
    const [position, ch, stamp] = this.keys.next(this.text.length, made);
    // Yjs sends every change at once; nothing is composed.
    this.context.counters.submits++;
    this.stamp = stamp;
    this.text.insert(position, ch);
  }

  get idle() { return this.waiting.length === 0; }

  get connected() { return this.provider.isConnected ?? this.provider.configuration.websocketProvider.status === 'connected'; }

  close() {
    this.provider.destroy();
    return Promise.resolve();
  }
}

export function makePeerClient(peer, context, index, proposalId, node) {
  if (peer === 'sharedb') return new ShareDbPeerClient(context, index, proposalId, node);
  if (peer === 'hocuspocus') return new HocuspocusPeerClient(context, index, proposalId, node);
  throw new Error(`unknown peer ${peer}`);
}

// The server's copy of the document, read by a client of its own: { text, revision }.
export async function peerSnapshot(peer, context, proposalId) {
  const reader = makePeerClient(peer, context, -1, proposalId, 0);
  try {
    await reader.open();
    return { text: reader.doc, revision: reader.revision };
  } finally {
    await reader.close();
  }
}

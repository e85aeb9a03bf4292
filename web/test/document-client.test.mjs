// Unit tests of the client side of the editing protocol against an in-memory sequencer that
// behaves like the hub: transform over later ops ('left'), ack, broadcast to the others.
// Run: npm test (node --test); the browser tests cover the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type } from 'ot-text-unicode';
import { DocumentClient } from '../src/editing/document-client.js';
import { diffToOp, TextareaBinding } from '../src/editing/textarea-binding.js';
import { toIndex, toPosition } from '../src/editing/positions.js';
import { buildHistory, diffRevisions } from '../src/revision-diff.js';

class Sequencer {
  constructor(text) { this.text = text; this.log = []; this.clients = []; this.opIds = new Map(); }
  get revision() { return this.log.length; }
  /** SubmitTrackedEdit: the same opId again answers with the first revision (docs/hub.md). */
  submit(from, connection, baseRevision, op, opId) {
    const key = `${from.member}/${opId}`;
    if (this.opIds.has(key)) return { revision: this.opIds.get(key) };
    if (baseRevision > this.revision) throw Object.assign(new Error('stale_revision: future'), { code: 'stale_revision' });
    for (const e of this.log.slice(baseRevision)) op = type.transform(op, e.op, 'left');
    this.text = type.apply(this.text, op);
    const edit = { revision: this.revision + 1, op, member: from.member };
    this.log.push(edit);
    this.opIds.set(key, edit.revision);
    // Every connection but the submitting one, including a newer connection of the same peer.
    for (const c of this.clients) if (c.connected && c.connection !== connection) c.deliver(edit);
    return { revision: edit.revision };
  }
  editsSince(revision) { return this.log.slice(revision).map((e) => ({ ...e })); }
}

let nextConnection = 1;

/** A client with a message queue, so delivery can be delayed, and a switch to drop the connection. */
class Peer {
  constructor(server, member, hooks = {}) {
    this.server = server; this.member = member; this.connected = true; this.queue = []; this.connection = nextConnection++;
    this.client = new DocumentClient({
      ...hooks,
      snapshot: { revision: server.revision, text: server.text }, member,
      transport: {
        submit: (base, op, opId) => new Promise((resolve, reject) => {
          if (!this.connected) { reject(new Error('disconnected')); return; }
          const connection = this.connection;
          this.queue.push(() => {
            if (!this.connected && this.connection === connection) { reject(new Error('disconnected')); return; }
            // A call that outlived its connection still runs on the server; its answer is lost.
            let result;
            try { result = server.submit(this, connection, base, op, opId); } catch (e) { reject(e); return; }
            if (this.connection === connection) resolve(result); else reject(new Error('disconnected'));
          });
        }),
        editsSince: async (revision) => server.editsSince(revision),
      },
    });
    server.clients.push(this);
  }
  deliver(edit) { this.queue.push(() => this.client.receive(edit)); }
  step() { const next = this.queue.shift(); if (next) next(); return next !== undefined; }
  typeRandom(random) {
    const text = this.client.text;
    const length = [...text].length;
    const at = Math.floor(random() * (length + 1));
    if (length > 0 && random() < 0.3) {
      const n = 1 + Math.floor(random() * Math.min(3, length - at));
      if (at < length) { this.client.localEdit([at, { d: Math.min(n, length - at) }]); return; }
    }
    const pick = ['a', 'b', 'é', '😀', ' ', '\n'][Math.floor(random() * 6)];
    this.client.localEdit([at, pick]);
  }
}

function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const settle = async (peers) => {
  for (let round = 0; round < 10_000; round++) {
    let moved = false;
    for (const p of peers) moved = p.step() || moved;
    await new Promise((r) => setImmediate(r));
    if (!moved && peers.every((p) => p.client.queued === 0 && p.queue.length === 0)) return;
  }
  throw new Error('did not settle: ' + JSON.stringify(peers.map((p) => ({ m: p.member, rev: p.client.revision, q: p.client.queued, inflight: p.client.inflight, pending: p.client.pending, inc: [...p.client.incoming.keys()], queue: p.queue.length }))));
};

test('three clients typing concurrently converge on the server text', async () => {
  const server = new Sequencer('Draft: ');
  const peers = ['MY', 'SG', 'TH'].map((m) => new Peer(server, m));
  const random = mulberry32(42);
  for (let i = 0; i < 300; i++) {
    const peer = peers[Math.floor(random() * peers.length)];
    if (random() < 0.6) peer.typeRandom(random); else peer.step();
    if (i % 7 === 0) await new Promise((r) => setImmediate(r));
  }
  await settle(peers);
  for (const p of peers) assert.equal(p.client.text, server.text);
  assert.ok(server.revision > 10, `only ${server.revision} revisions`);
  for (const m of ['MY', 'SG', 'TH']) assert.ok(server.log.some((e) => e.member === m));
});

test('an edit whose ack was lost lands exactly once after resync', async () => {
  const server = new Sequencer('abc');
  const me = new Peer(server, 'MY');
  const other = new Peer(server, 'SG');
  me.client.localEdit([3, 'X']);
  // The server commits it, then the connection drops before the ack is read.
  me.step();
  me.connected = false;
  me.client.setOnline(false);
  other.client.localEdit(['Y']);
  other.step();
  me.client.localEdit([4, 'Z']); // typed while offline: queued
  assert.equal(me.client.queued, 2);
  me.queue.length = 0;
  me.connected = true;
  me.client.setOnline(true);
  await me.client.resync();
  await settle([me, other]);
  assert.equal(server.text, 'YabcXZ');
  assert.equal(me.client.text, server.text);
  assert.equal(other.client.text, server.text);
  assert.equal(server.log.filter((e) => e.member === 'MY').length, 2);
});

test('an edit that never reached the server is sent again after resync', async () => {
  const server = new Sequencer('abc');
  const me = new Peer(server, 'MY');
  const other = new Peer(server, 'SG');
  me.connected = false; // the submit fails: the edit stays queued
  me.client.localEdit([1, 'X']);
  me.client.setOnline(false);
  other.client.localEdit([3, '!']);
  other.step();
  me.connected = true;
  me.client.setOnline(true);
  await me.client.resync();
  await settle([me, other]);
  assert.equal(server.text, 'aXbc!');
  assert.equal(me.client.text, server.text);
});

test('an edit whose call outlived its connection commits late and still lands once', async () => {
  const server = new Sequencer('abc');
  const me = new Peer(server, 'MY');
  const other = new Peer(server, 'SG');
  me.client.localEdit([3, 'X']); // queued on connection 1, not yet run by the server
  me.connection = nextConnection++; // the connection drops; a new one opens
  me.client.setOnline(false);
  await me.client.reconnected(); // the log does not hold X yet: X is sent again, same opId
  await settle([me, other]);
  assert.equal(server.text, 'abcX');
  assert.equal(me.client.text, 'abcX');
  assert.equal(other.client.text, 'abcX');
  assert.equal(server.log.length, 1);
});

test('positions count code points the way ot-text-unicode does', () => {
  const text = 'a😀b';
  assert.equal(toPosition(text, 3), 2);
  assert.equal(toIndex(text, 2), 3);
  assert.deepEqual(diffToOp('a😀b', 'a😀xb'), [2, 'x']);
  assert.deepEqual(diffToOp('a😀b', 'ab'), [1, { d: 1 }]);
  assert.deepEqual(diffToOp('a😀b', 'a😁b'), [1, { d: 1 }, '😁']);
});

test('revision diff marks what changed between two revisions', () => {
  const edits = [
    { revision: 1, op: ['The ASEAN measure'] },
    { revision: 2, op: [4, { d: 5 }, 'regional'] },
    { revision: 3, op: [20, ' on disaster relief'] },
  ];
  const history = buildHistory('The regional measure on disaster relief', 3, edits);
  assert.equal(history.textAt(2), 'The regional measure');
  const parts = diffRevisions(history, 1, 3);
  const render = parts.map((p) => (p.kind === 'same' ? p.text : p.kind === 'inserted' ? `[+${p.text}]` : `[-${p.text}]`)).join('');
  assert.equal(render, 'The [-ASEAN][+regional] measure[+ on disaster relief]');
});

test('revision diff from a current text whose original deleted characters are unknown', () => {
  // Revision 0 held 'abcdef' (unknown to the client); 'cd' was deleted at revision 1.
  const history = buildHistory('abXef', 2, [
    { revision: 1, op: [2, { d: 2 }] },
    { revision: 2, op: [2, 'X'] },
  ]);
  assert.equal(history.textAt(2), 'abXef');
  assert.equal(history.unknownAt(0), 2);
});

test('revision diff with the initial text from the server knows every deleted character', () => {
  const edits = [
    { revision: 1, op: [2, { d: 2 }] },
    { revision: 2, op: [2, 'X'] },
  ];
  const history = buildHistory('abXef', 2, edits, 'abcdef');
  assert.equal(history.textAt(0), 'abcdef');
  assert.equal(history.unknownAt(0), 0);
  const render = diffRevisions(history, 0, 2).map((p) => (p.kind === 'same' ? p.text : p.kind === 'inserted' ? `[+${p.text}]` : `[-${p.text}]`)).join('');
  assert.equal(render, 'ab[+X][-cd]ef');
  assert.throws(() => buildHistory('abXef', 2, edits, 'abc'), /initial text/);
});

/** What TextareaBinding uses of a <textarea>; typing replaces the selection and fires input, as a browser does. */
class FakeTextarea {
  constructor() {
    this.value = ''; this.selectionStart = 0; this.selectionEnd = 0; this.selectionDirection = 'none'; this.scrollTop = 0; this.listeners = [];
  }
  addEventListener(name, listener) { if (name === 'input') this.listeners.push(listener); }
  removeEventListener() {}
  setSelectionRange(start, end, direction) { this.selectionStart = start; this.selectionEnd = end; this.selectionDirection = direction ?? 'none'; }
  focus() {}
  key(key) {
    let start = this.selectionStart;
    const end = this.selectionEnd;
    const insert = key === 'Backspace' ? '' : key;
    if (key === 'Backspace' && start === end && start > 0) start--;
    this.value = this.value.slice(0, start) + insert + this.value.slice(end);
    this.selectionStart = this.selectionEnd = start + insert.length;
    for (const listener of this.listeners) listener();
  }
}

test('a typed character next to an equal one is the one at the caret', () => {
  // 'a b' with the caret after 'a'; a space typed there is at 1, not after the space already at 1.
  assert.deepEqual(diffToOp('a b', 'a  b', 2), [1, ' ']);
  assert.deepEqual(diffToOp('a b', 'a  b'), [2, ' ']); // without a caret: the first difference
  assert.deepEqual(diffToOp('a((b', 'a(((b', 2), [1, '(']);
  // Backspace at 2 in 'a  b' deletes the space at 1; Delete at 1 deletes the same space.
  assert.deepEqual(diffToOp('a  b', 'a b', 1), [1, { d: 1 }]);
  // A replaced selection, and a caret that is not at the change (an undo) still give a correct op.
  assert.equal(type.apply('abcdef', diffToOp('abcdef', 'abXef', 3)), 'abXef');
  assert.equal(type.apply('abcdef', diffToOp('abcdef', 'abXef', 5)), 'abXef');
  assert.equal(type.apply('a😀😀b', diffToOp('a😀😀b', 'a😀😀😀b', 5)), 'a😀😀😀b');
});

test('two delegations typing at the same place keep their own words whole', async () => {
  globalThis.document ??= { activeElement: null };
  for (let seed = 1; seed <= 500; seed++) {
    const server = new Sequencer('Draft: the Parties agree.');
    const editors = [['MY', ' [MY-one]'], ['SG', ' [SG-two]']].map(([member, words]) => {
      const area = new FakeTextarea();
      const editor = { area, keys: [...words, 'Backspace', words.at(-1)], typed: 0 };
      editor.peer = new Peer(server, member, { onText: (op) => editor.binding.remoteChanged(op) });
      editor.binding = new TextareaBinding(area, editor.peer.client);
      area.setSelectionRange('Draft:'.length, 'Draft:'.length);
      return editor;
    });
    const random = mulberry32(seed);
    for (let i = 0; i < 10_000 && editors.some((e) => e.typed < e.keys.length); i++) {
      const editor = editors[Math.floor(random() * editors.length)];
      if (random() < 0.5 && editor.typed < editor.keys.length) editor.area.key(editor.keys[editor.typed++]);
      else editor.peer.step();
      if (random() < 0.3) await new Promise((r) => setImmediate(r));
    }
    await settle(editors.map((e) => e.peer));
    for (const e of editors) assert.equal(e.area.value, server.text);
    for (const word of ['[MY-one]', '[SG-two]']) {
      assert.equal(server.text.split(word).length - 1, 1, `seed ${seed}: '${word}' should be whole, once: ${JSON.stringify(server.text)}`);
    }
  }
});

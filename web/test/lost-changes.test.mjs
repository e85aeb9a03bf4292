// The client side of revision_lost (docs/hub.md, "Storage that lost acknowledged changes"): a server
// whose storage went back refuses the client's Resync; the client merges nothing, hands its copy of the
// text to the view, and re-applying it is one ordinary edit. Run: npm test (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type } from 'ot-text-unicode';
import { DocumentClient, LOST } from '../src/editing/document-client.js';
import { diffToOp } from '../src/editing/textarea-binding.js';
import { changeSize } from '../src/editing/lost-changes.js';

const lostError = (detail) => Object.assign(new Error(detail), { code: LOST, detail });

/** The hub's rules for revisions, with a storage that can go back to a saved log. */
class Server {
  constructor(text) { this.initial = text; this.log = []; }
  get revision() { return this.log.length; }
  get text() { return this.log.reduce((t, e) => type.apply(t, e.op), this.initial); }
  submit(member, baseRevision, op) {
    if (baseRevision > this.revision) throw lostError(`ahead: ${baseRevision}`);
    for (const e of this.log.slice(baseRevision)) op = type.transform(op, e.op, 'left');
    this.log.push({ revision: this.revision + 1, op, member });
    return { revision: this.revision };
  }
  resync(revision, op, textHash) {
    if (revision > this.revision) throw lostError(`ahead: ${revision}`);
    if (op !== null && revision >= 1 && JSON.stringify(this.log[revision - 1].op) !== JSON.stringify(op)) throw lostError('given again');
    if (op === null && textHash !== null && revision === this.revision && textHash !== hash(this.text)) throw lostError('text differs');
    return this.log.slice(revision);
  }
  snapshot() { return { revision: this.revision, text: this.text, textHash: hash(this.text) }; }
  save() { return this.log.length; }
  rollBack(saved) { this.log.length = saved; }
}

const hash = (text) => `h:${text}`;

function client(server, member, lost) {
  const doc = new DocumentClient({
    snapshot: server.snapshot(), member,
    transport: {
      submit: async (base, op) => server.submit(member, base, op),
      editsSince: async (revision) => server.log.slice(revision),
      resync: async (revision, op, textHash) => server.resync(revision, op, textHash),
    },
    onLost: (error, copy) => lost.push({ error, copy }),
  });
  return doc;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a client ahead of storage is told its changes were lost, merges nothing, and re-applies its copy as one edit', async () => {
  const server = new Server('base');
  const lost = [];
  const doc = client(server, 'SG', lost);
  doc.localEdit([4, ' one']);
  await settle();
  const saved = server.save();
  doc.localEdit([8, ' two']);
  await settle();
  doc.localEdit([12, ' three']);
  await settle();
  assert.equal(doc.revision, 3);
  assert.equal(doc.queued, 0);

  server.rollBack(saved); // storage and node gone: the server has revision 1 only
  doc.setOnline(false);
  doc.localEdit(['>']); // typed while offline: queued
  await doc.reconnected();

  assert.equal(lost.length, 1);
  assert.equal(lost[0].error.code, LOST);
  assert.equal(lost[0].copy.text, '>base one two three');
  assert.equal(lost[0].copy.revision, 3);
  assert.equal(server.text, 'base one'); // nothing was sent on top of the older state
  doc.localEdit(['!']); // typing while the view reloads goes into the copy, not to the server
  await settle();
  assert.equal(server.revision, 1);

  const mine = doc.text;
  doc.reset(server.snapshot());
  assert.deepEqual(changeSize('base one', 'base one two'), { inserted: 4, deleted: 0 });
  doc.localEdit(diffToOp(doc.text, mine));
  await settle();
  assert.equal(server.text, '!>base one two three');
  assert.equal(server.revision, 2);
  assert.equal(doc.queued, 0);
});

test('a lost revision given again to another edit is detected by the op the client holds for it', async () => {
  const server = new Server('base');
  const lost = [];
  const doc = client(server, 'SG', lost);
  doc.localEdit([4, ' one']);
  await settle();
  const saved = server.save();
  doc.localEdit([8, ' two']);
  await settle();
  server.rollBack(saved);
  server.submit('VN', 1, ['>']); // revision 2 again, other content
  doc.setOnline(false);
  await doc.reconnected();
  assert.equal(lost.length, 1);
  assert.equal(lost[0].copy.text, 'base one two');
  assert.equal(server.text, '>base one');
});

test('a client that only opened at a lost revision is detected by the snapshot text hash', async () => {
  const server = new Server('base');
  server.submit('VN', 0, [4, ' one']);
  const saved = server.save();
  server.submit('VN', 1, [8, ' two']);
  const lost = [];
  const doc = client(server, 'SG', lost); // opened at revision 2, no edit of its own
  server.rollBack(saved);
  server.submit('PH', 1, ['>']);
  doc.setOnline(false);
  await doc.reconnected();
  assert.equal(lost.length, 1);
  assert.equal(lost[0].copy.text, 'base one two');
});

test('a client whose revision storage still has resyncs as before', async () => {
  const server = new Server('base');
  const lost = [];
  const doc = client(server, 'SG', lost);
  const other = client(server, 'VN', []);
  doc.localEdit([4, ' one']);
  await settle();
  other.localEdit(['>']); // base 0: transformed by the server
  await settle();
  doc.setOnline(false);
  await doc.reconnected();
  assert.equal(lost.length, 0);
  assert.equal(doc.text, server.text);
  assert.equal(doc.revision, 2);
});

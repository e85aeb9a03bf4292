'use strict';
// Runs one live-test scenario against a running server and prints one JSON line with what it saw.
// Usage: node scenario.js '<json>'  with { mode, url, proposalId, ... } (see LiveScenario.cs).
const { devToken, connect, withTimeout, codeOf, codePoints, Editor } = require('./live-client');

const args = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'c', 'd', 'e', ' ', 'é', '😀', 'ñ', 'x'];

function randomOp(text, random) {
  const length = codePoints(text);
  const at = Math.floor(random() * (length + 1));
  if (length > 0 && random() < 0.3) {
    const from = Math.min(at, length - 1);
    const count = 1 + Math.floor(random() * Math.min(3, length - from));
    return from > 0 ? [from, { d: count }] : [{ d: count }];
  }
  let insert = '';
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) insert += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return at > 0 ? [at, insert] : [insert];
}

async function editors(specs) {
  return Promise.all(specs.map(async (spec, i) => {
    const token = await devToken(args.url, spec.member, spec.role || 'delegate');
    const editor = new Editor(args.url, token, spec.member, args.proposalId, {
      random: seeded((args.seed || 1) * 1000 + i),
      dropRate: spec.dropRate || 0,
      tracked: spec.tracked,
    });
    await editor.open();
    return editor;
  }));
}

/** Every editor acknowledged everything it typed and applied every edit up to the last one. */
async function settle(all, ms) {
  await Promise.all(all.map((e) => e.until(() => e.settled, ms, 'settled')));
  const last = Math.max(...all.map((e) => Math.max(e.revision, ...e.acks)));
  await Promise.all(all.map((e) => e.until(() => e.revision >= last && e.settled, ms, `revision ${last}`)));
  return last;
}

function report(all, extra = {}) {
  return {
    texts: all.map((e) => e.text),
    revisions: all.map((e) => e.revision),
    acks: all.reduce((n, e) => n + e.acks.length, 0),
    refusals: all.flatMap((e) => e.refusals),
    repairs: all.reduce((n, e) => n + e.repairs, 0),
    resyncs: all.reduce((n, e) => n + e.resyncs, 0),
    echoes: all.reduce((n, e) => n + e.acks.filter((r) => e.pushed.has(r)).length, 0),
    outOfOrder: all.reduce((n, e) => n + e.outOfOrder, 0),
    earlyAcks: all.reduce((n, e) => n + e.earlyAcks, 0),
    ...extra,
  };
}

async function converge() {
  const all = await editors(args.clients);
  await Promise.all(all.map(async (editor) => {
    for (let i = 0; i < args.ops; i++) {
      editor.edit(randomOp(editor.text, editor.random));
      await sleep(Math.floor(editor.random() * (args.pauseMs || 8)));
    }
  }));
  const last = await settle(all, 60000);
  const result = report(all, { last });
  await Promise.all(all.map((e) => e.close()));
  return result;
}

/** Unique tokens inserted only between tokens, so each one's survival can be counted exactly. */
async function reconnect() {
  const all = await editors(args.clients);
  const typed = all.map(() => []);
  await Promise.all(all.map(async (editor, index) => {
    for (let i = 0; i < args.ops; i++) {
      if (index === 0 && args.dropAt.includes(i)) {
        await editor.drop();
        for (let k = 0; k < 3; k++, i++) {
          type(editor, index, i, typed); // typing on while offline
        }
        await sleep(50);
        await editor.reconnect();
      }
      type(editor, index, i, typed);
      await sleep(Math.floor(editor.random() * 6));
    }
  }));
  const last = await settle(all, 60000);
  const result = report(all, { last, tokens: typed.flat() });
  await Promise.all(all.map((e) => e.close()));
  return result;
}

function type(editor, index, i, typed) {
  const token = `${editor.member}${index}.${i};`;
  const boundaries = [0];
  [...editor.text].forEach((c, p) => { if (c === ';') boundaries.push(p + 1); });
  const at = boundaries[Math.floor(editor.random() * boundaries.length)];
  editor.edit(at > 0 ? [at, token] : [token]);
  typed[index].push(token);
}

async function call(connection, method, ...params) {
  return callOn(connection, method, args.proposalId, ...params);
}

async function callOn(connection, method, proposalId, ...params) {
  try {
    const value = await withTimeout(connection.invoke(method, proposalId, ...params), 10000, method);
    return { code: 'ok', value };
  } catch (error) {
    return { code: codeOf(error) || `transport: ${error.message}` };
  }
}

async function invalid() {
  const token = await devToken(args.url, args.member, 'delegate');
  const connection = await connect(args.url, token);
  const before = (await call(connection, 'OpenProposal')).value;
  const codes = [];
  for (const op of args.ops) {
    codes.push((await call(connection, 'SubmitEdit', args.baseRevision ?? before.revision, op)).code);
  }
  const after = (await call(connection, 'OpenProposal')).value;
  await connection.stop();
  return { codes, before: { text: before.text, revision: before.revision }, after: { text: after.text, revision: after.revision } };
}

async function access() {
  const results = [];
  for (const attempt of args.attempts) {
    if (attempt.action === 'connect') {
      // A token the server did not issue: the hub refuses the connection itself.
      try {
        const connection = await connect(args.url, attempt.token, { negotiate: true });
        await connection.stop();
        results.push({ ...attempt, code: 'ok' });
      } catch (error) { results.push({ ...attempt, code: /401/.test(error.message) ? 'unauthorized' : `transport: ${error.message}` }); }
      continue;
    }
    const token = await devToken(args.url, attempt.member, attempt.role);
    const connection = await connect(args.url, token);
    const id = attempt.proposalId || args.proposalId;
    let outcome;
    switch (attempt.action) {
      case 'open': outcome = await callOn(connection, 'OpenProposal', id); break;
      case 'edit': outcome = await callOn(connection, 'SubmitEdit', id, attempt.baseRevision, [attempt.text]); break;
      case 'editsSince': outcome = await callOn(connection, 'GetEditsSince', id, 0); break;
      case 'dashboard':
        try {
          await withTimeout(connection.invoke('WatchDashboard'), 10000, 'WatchDashboard');
          outcome = { code: 'ok' };
        } catch (error) { outcome = { code: codeOf(error) || `transport: ${error.message}` }; }
        break;
      default: throw new Error(`unknown action ${attempt.action}`);
    }
    results.push({ ...attempt, code: outcome.code });
    await connection.stop();
  }
  return { results };
}

/** Listens as each watcher while the signer signs off; reports every event each watcher got. */
async function watch() {
  const listeners = await Promise.all(args.watchers.map(async (w) => {
    const token = await devToken(args.url, w.member, w.role);
    const connection = await connect(args.url, token);
    const seen = [];
    for (const name of ['ProposalUpdated', 'ProgressChanged', 'ToDoChanged', 'GroupConsensusChanged', 'EditApplied', 'PresenceChanged']) {
      connection.on(name, (m) => seen.push({ event: name, proposalId: m.proposalId || (m.summary && m.summary.proposalId) || (m.proposal && m.proposal.proposalId) || null, m }));
    }
    let setup = 'ok';
    try {
      if (w.dashboard) await withTimeout(connection.invoke('WatchDashboard'), 10000, 'WatchDashboard');
      if (w.open) await withTimeout(connection.invoke('OpenProposal', args.proposalId), 10000, 'OpenProposal');
    } catch (error) { setup = codeOf(error) || error.message; }
    return { ...w, connection, seen, setup };
  }));
  const signerToken = await devToken(args.url, args.signer, 'delegate');
  const signer = await connect(args.url, signerToken);
  const opened = await signer.invoke('OpenProposal', args.proposalId);
  const signed = await call(signer, 'SignOff', 'Concur', null, opened.revision);
  const deadline = Date.now() + 5000;
  const dashboardGotIt = () => listeners.filter((l) => l.dashboard && l.setup === 'ok')
    .every((l) => l.seen.some((s) => s.event === 'ProposalUpdated' && s.proposalId === args.proposalId));
  while (Date.now() < deadline && !dashboardGotIt()) await sleep(50);
  await sleep(args.quietMs || 500);
  await signer.stop();
  const result = {
    signed: signed.code,
    watchers: listeners.map((l) => ({
      member: l.member, role: l.role, setup: l.setup,
      events: l.seen.map((s) => ({ event: s.event, proposalId: s.proposalId, about: JSON.stringify(s.m).includes(args.proposalId) })),
    })),
  };
  await Promise.all(listeners.map((l) => l.connection.stop()));
  return result;
}

async function limits() {
  const token = await devToken(args.url, args.member, 'delegate');
  const connection = await connect(args.url, token);
  const before = (await call(connection, 'OpenProposal')).value;
  // Many calls at once, not awaited one by one: the bucket (burst, then rate) refuses the excess.
  const burst = await Promise.all(Array.from({ length: args.burst }, () => call(connection, 'SubmitEdit', before.revision, ['not an op', 1])));
  const counts = {};
  burst.forEach((r) => { counts[r.code] = (counts[r.code] || 0) + 1; });
  await sleep(2500); // refill
  const big = await call(connection, 'SubmitEdit', before.revision, ['x'.repeat(args.bigInsert)]);
  const closed = new Promise((resolve) => connection.onclose((error) => resolve(error ? error.message : 'closed')));
  const huge = await call(connection, 'SubmitEdit', before.revision, ['y'.repeat(args.hugeInsert)]);
  const closedWith = await withTimeout(closed, 10000, 'close after an oversize message');
  const again = await connect(args.url, token);
  const after = await again.invoke('OpenProposal', args.proposalId);
  await again.stop();
  return { counts, big: big.code, huge: huge.code, closedWith, before: { text: before.text, revision: before.revision }, after: { text: after.text, revision: after.revision } };
}

/** Cursors brought forward through edits, coalesced presence pushes, leaving. */
async function presence() {
  const open = async (member) => {
    const connection = await connect(args.url, await devToken(args.url, member, 'delegate'));
    const snapshot = await withTimeout(connection.invoke('OpenProposal', args.proposalId), 10000, 'OpenProposal');
    return { connection, snapshot };
  };
  const a = await open('MY');
  const b = await open('TH');
  const pushes = [];
  b.connection.on('PresenceChanged', (m) => pushes.push({ at: Date.now(), editors: m.editors }));
  const r0 = a.snapshot.revision;
  const r1 = (await b.connection.invoke('SubmitEdit', args.proposalId, r0, ['abc'])).revision;
  // A reports a selection made on r0, not having seen B's insert yet: the server moves it to r1.
  await a.connection.invoke('UpdateCursor', args.proposalId, r0, { anchor: 5, head: 7 });
  const c = await open('ID');
  const seenByC = c.snapshot.editors.find((e) => e.connectionId === a.snapshot.connectionId);
  // B inserts again: the server keeps A's cursor current.
  const r2 = (await b.connection.invoke('SubmitEdit', args.proposalId, r1, ['xy'])).revision;
  const d = await open('PH');
  const seenByD = d.snapshot.editors.find((e) => e.connectionId === a.snapshot.connectionId);
  // A moves its cursor 30 times as fast as it can: B gets the moves coalesced.
  await sleep(300);
  const before = pushes.length;
  const started = Date.now();
  for (let i = 0; i < 30; i++) await a.connection.invoke('UpdateCursor', args.proposalId, r2, { anchor: i, head: i });
  const movedMs = Date.now() - started;
  await sleep(400);
  const duringBurst = pushes.length - before;
  const last = pushes[pushes.length - 1].editors.find((e) => e.connectionId === a.snapshot.connectionId);
  await a.connection.invoke('CloseProposal', args.proposalId);
  const leaveDeadline = Date.now() + 3000;
  while (Date.now() < leaveDeadline && pushes[pushes.length - 1].editors.some((e) => e.connectionId === a.snapshot.connectionId)) await sleep(20);
  const gone = !pushes[pushes.length - 1].editors.some((e) => e.connectionId === a.snapshot.connectionId);
  let closedCursor;
  try { await a.connection.invoke('UpdateCursor', args.proposalId, r2, { anchor: 0, head: 0 }); closedCursor = 'ok'; } catch (error) { closedCursor = codeOf(error); }
  await Promise.all([a, b, c, d].map((x) => x.connection.stop()));
  return { r0, r1, r2, seenByC, seenByD, movedMs, duringBurst, last, gone, closedCursor };
}

/** A connection whose token expires: it acts before, not after, and the server closes it. */
async function expiry() {
  const connection = await connect(args.url, args.token);
  let closedAt = null;
  connection.onclose(() => { closedAt = Date.now(); });
  const before = (await call(connection, 'GetEditsSince', 0)).code;
  await sleep(Math.max(0, args.expiresAt - Date.now()) + 1500);
  const after = (await call(connection, 'GetEditsSince', 0)).code;
  const deadline = Date.now() + 10000;
  while (closedAt === null && Date.now() < deadline) await sleep(50);
  await connection.stop();
  return { before, after, closedMsAfterExpiry: closedAt === null ? null : closedAt - args.expiresAt };
}

const modes = { converge, reconnect, invalid, access, watch, limits, presence, expiry };
(async () => {
  const result = await modes[args.mode]();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
})().catch((error) => {
  process.stdout.write(`${JSON.stringify({ error: String(error && error.stack || error) })}\n`);
  process.exit(1);
});

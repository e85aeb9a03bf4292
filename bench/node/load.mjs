// The AscCollab load generator: N real @microsoft/signalr clients in this one Node process,
// each running the OT client protocol (one op in flight, later local ops composed into a
// buffer, incoming ops transformed with ot-text-unicode). All clients share one clock, so
// submit→seen-by-others is measured by stamping each op when it is made and matching the
// other clients' EditApplied by revision (unique per proposal) and member.
//
// The cluster workload runs the same clients against two server nodes of one Orleans cluster
// (config.nodes): each client knows its node, so ack is reported per node and seen-by-others
// per pair of nodes (same node, or across the cluster).
//
// The peers (config.peer = "sharedb" | "hocuspocus", bench/peers/): the same workloads, with each
// peer's own client — ShareDB's client Doc over its WebSocket JSON protocol (one op in flight,
// later ops composed, as ours), and Hocuspocus' provider on a Yjs Y.Text — so the figures are
// measured the same way: ack when the server confirms the op (ShareDB's op ack; Hocuspocus' sync
// status for the update), seen when another client receives it (matched by ShareDB's src:seq, by
// Yjs' client:clock).
//
// Usage: node load.mjs CONFIG.json   — prints progress on stderr and one line "RESULT {json}".
// Every loop is bounded in count and time; the process exits by itself.
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import * as signalR from '@microsoft/signalr';
import { ArrivalWebSocket, arrivedAt, onEveryMessage, stampOnArrival } from './arrival.mjs';
import ot from 'ot-text-unicode';
import { makePeerClient, peerSnapshot } from './peers.mjs';
import { ChunkedText, codePoints } from './chunked-text.mjs';

const text = ot.type;
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const hubUrlOf = (url) => `${url}/hubs/collab`;
// The cluster workload's nodes: { name, url, pid, tokens }; one node (config.url) otherwise.
const nodes = config.nodes ?? [{ name: 'server', url: config.url, pid: config.serverPid, tokens: config.tokens }];
const log = (...args) => console.error(`[load ${(performance.now() / 1000).toFixed(1)}s]`, ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

// The generator's own garbage collections inside the measured window: a long pause stops its
// event loop, and every ack and EditApplied arriving meanwhile is stamped late.
const gc = { pauses: 0, totalMs: 0, maxMs: 0, over50ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.startTime < measureFrom || entry.startTime > measureTo) continue;
    gc.pauses++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
    if (entry.duration > 50) gc.over50ms++;
  }
}).observe({ entryTypes: ['gc'] });

// ---- /proc sampling (server and Azurite are separate processes; this one reads its own usage) ----
function cpuTicks(pid) {
  if (!pid) return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
}
function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}
function sample() {
  const self = process.cpuUsage();
  const perNode = nodes.map((n) => cpuTicks(n.pid));
  return {
    at: now(),
    server: perNode.reduce((a, b) => a + b, 0),
    perNode,
    azurite: cpuTicks(config.azuritePid),
    selfMicros: self.user + self.system,
  };
}
function cpuBetween(a, b) {
  const seconds = (b.at - a.at) / 1000;
  const tick = config.clockTicks;
  return {
    wallSeconds: seconds,
    serverCpuSeconds: (b.server - a.server) / tick,
    nodeCpuSeconds: Object.fromEntries(nodes.map((n, i) => [n.name, (b.perNode[i] - a.perNode[i]) / tick])),
    azuriteCpuSeconds: a.azurite === null ? null : (b.azurite - a.azurite) / tick,
    loadCpuSeconds: (b.selfMicros - a.selfMicros) / 1e6,
  };
}

function percentiles(values) {
  if (values.length === 0) return { count: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (v) => Math.round(v * 100) / 100;
  return { count: sorted.length, p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1]) };
}

// A small seeded PRNG (mulberry32) so runs are repeatable in their choices.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const errors = new Map();
function countError(err) {
  const message = String(err?.message ?? err);
  const code = /HubException: ([a-z_]+):/.exec(message)?.[1] ?? message.slice(0, 80);
  errors.set(code, (errors.get(code) ?? 0) + 1);
}

// revision → { member, times: [made-at of each measured op in that submission] }
const submissions = new Map();
// revision → [receive times at the other clients]
const seen = new Map();
const ackLatencies = [];
// node index → ack latencies of the clients on that node
const ackByNode = nodes.map(() => []);
// Open loop: how late after its due time each measured op was made (the ticker's period and any lag).
const makeLags = [];
const counters = { ops: 0, submits: 0, acked: 0, ackedOps: 0, measuredOps: 0, composed: 0, revisionGaps: 0, duplicates: 0, maxGeneratorLagMs: 0, messages: 0, editsApplied: 0 };

// Every client's WebSocket messages, counted (a server that writes several hub records at once
// sends them as one message) and stamped on arrival (arrival.mjs).
onEveryMessage(() => { counters.messages++; });
// Open-loop latency workloads only: saturation measures throughput, where the generator is the limit.
stampOnArrival(config.workload === 'typing' || config.workload === 'cluster');
// Acks as this process handled them, behind the other clients' messages: kept to show the gap.
const ackHandledLatencies = [];
let measureFrom = Infinity;

// The slowest acks per 250 ms of submit time, to see whether the tail comes in bursts (a stall
// somewhere delays every op made during it) or is spread evenly.
const slowest = {
  buckets: new Map(),
  note(made, latency) {
    const key = Math.floor((made - measureFrom) / 250);
    const b = this.buckets.get(key) ?? { ops: 0, over50: 0, max: 0 };
    b.ops++;
    if (latency > 50) b.over50++;
    b.max = Math.max(b.max, latency);
    this.buckets.set(key, b);
  },
  summary() {
    const all = [...this.buckets.entries()].map(([k, b]) => ({ atSecond: k / 4, ...b, max: Math.round(b.max) }));
    const bursty = all.filter((b) => b.over50 > 0);
    return {
      windows: all.length,
      windowsWithAckOver50ms: bursty.length,
      acksOver50ms: all.reduce((n, b) => n + b.over50, 0),
      worst: [...all].sort((a, b) => b.max - a.max).slice(0, 8).sort((a, b) => a.atSecond - b.atSecond),
    };
  },
};
let measureTo = Infinity;

class Client {
  constructor(index, token, member, proposalId = config.proposalId, node = 0) {
    this.index = index;
    this.node = node;
    this.proposalId = proposalId;
    this.member = member;
    this.rand = random((config.seed ?? 1) * 7919 + index);
    this.inflight = null; // { op, made: [times] }
    this.held = new Map(); // revision → op, pushed before the ack that precedes them
    this.buffer = null;
    this.bufferMade = [];
    this.onAckedHook = null;
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(hubUrlOf(nodes[node].url), {
        accessTokenFactory: () => token,
        transport: signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
        WebSocket: ArrivalWebSocket,
      })
      .configureLogging(signalR.LogLevel.Error)
      .build();
    // A busy load generator must not mistake its own lag for a dead server.
    this.connection.serverTimeoutInMilliseconds = 180_000;
    // 3,000 clients share one event loop here: ping more often than a browser so a slow loop is not taken for a dead client.
    this.connection.keepAliveIntervalInMilliseconds = 5_000;
    this.presenceMessages = 0;
    this.connection.on('EditApplied', (m) => this.onEditApplied(m));
    this.connection.on('PresenceChanged', () => { this.presenceMessages++; lastPresenceAt = now(); });
    for (const name of ['ProposalUpdated', 'GroupConsensusChanged', 'ToDoChanged', 'ProgressChanged']) {
      this.connection.on(name, () => {});
    }
  }

  // The client's text (ChunkedText: ot-text-unicode's ops without copying the whole text per op); `doc` as the peers' clients have it.
  get doc() { return this.document?.toString(); }

  async open() {
    await this.connection.start();
    if (config.joinProposal === false) { this.document = new ChunkedText(''); return; } // diagnostic: connected, not joined
    const snapshot = await this.connection.invoke('OpenProposal', this.proposalId);
    this.document = new ChunkedText(snapshot.text);
    this.revision = snapshot.revision;
  }

  // One local keystroke: a one-character insert at a random position, applied locally at once.
  // `made` is when the op was due: an open loop that fell behind still bills the delay to the op.
  edit(made = now()) {
    const position = Math.floor(this.rand() * (this.document.length + 1));
    const ch = 'abcdefghijklmnopqrstuvwxyz '[Math.floor(this.rand() * 27)];
    const op = position > 0 ? [position, ch] : [ch];
    this.document.apply(op);
    counters.ops++;
    const measured = made >= measureFrom && made < measureTo;
    if (measured) counters.measuredOps++;
    const stamp = measured ? made : -1;
    if (this.inflight === null) {
      this.send(op, [stamp]);
    } else {
      this.buffer = this.buffer === null ? op : text.compose(this.buffer, op);
      this.bufferMade.push(stamp);
      counters.composed++;
    }
  }

  send(op, made) {
    this.inflight = { op, made };
    counters.submits++;
    this.connection.invoke('SubmitEdit', this.proposalId, this.revision, op).then(
      (ack) => this.onAck(ack),
      (err) => this.onRefused(err));
  }

  onAck(ack) {
    const at = arrivedAt();
    const handled = now();
    if (ack.revision !== this.revision + 1) gap(this, 'ack', ack.revision);
    this.revision = ack.revision;
    const made = this.inflight.made.filter((t) => t >= 0);
    for (const t of made) {
      ackLatencies.push(at - t);
      ackHandledLatencies.push(handled - t);
      ackByNode[this.node].push(at - t);
      if (t >= 0) slowest.note(t, at - t);
    }
    counters.acked++;
    counters.ackedOps += this.inflight.made.length;
    if (made.length > 0) submissions.set(ack.revision, { member: this.member, client: this.index, node: this.node, made });
    this.inflight = null;
    this.sendBuffer();
    // Edits sequenced after ours that arrived before the ack: the buffer just sent is concurrent with them.
    this.applyHeld();
    if (this.inflight === null && this.onAckedHook) this.onAckedHook();
  }

  // The local ops composed while one was in flight go out as the next op; false when there are none.
  sendBuffer() {
    if (this.buffer === null) return false;
    const op = this.buffer;
    const stamps = this.bufferMade;
    this.buffer = null;
    this.bufferMade = [];
    this.send(op, stamps);
    return true;
  }

  onRefused(err) {
    countError(err);
    // The op is lost for this client; keep the protocol alive but note the divergence.
    this.inflight = null;
    this.failed = true;
    if (!this.sendBuffer() && this.onAckedHook) {
      setTimeout(() => this.onAckedHook?.(), 50);
    }
  }

  onEditApplied(m) {
    const at = arrivedAt();
    counters.editsApplied++;
    if (m.proposalId !== this.proposalId) return;
    if (this.proposalId === config.proposalId) {
      let list = seen.get(m.revision);
      if (list === undefined) { list = []; seen.set(m.revision, list); }
      list.push({ at, client: this.index, node: this.node, member: m.member });
    }
    if (m.revision <= this.revision) { counters.duplicates++; return; }
    if (m.revision > this.revision + 1) {
      // Group commit: the edits after ours may be pushed before our ack is written. The gap is
      // our own op while one is in flight; otherwise it is a real gap. Hold them until it closes.
      if (this.inflight === null) gap(this, 'event', m.revision);
      this.held.set(m.revision, m.op);
      return;
    }
    this.apply(m.revision, m.op);
    this.applyHeld();
  }

  apply(revision, op) {
    let incoming = op;
    if (this.inflight !== null) {
      const mine = this.inflight.op;
      this.inflight.op = text.transform(mine, incoming, 'left');
      incoming = text.transform(incoming, mine, 'right');
    }
    if (this.buffer !== null) {
      const mine = this.buffer;
      this.buffer = text.transform(mine, incoming, 'left');
      incoming = text.transform(incoming, mine, 'right');
    }
    this.document.apply(incoming);
    this.revision = revision;
  }

  applyHeld() {
    while (this.held.size > 0) {
      const op = this.held.get(this.revision + 1);
      if (op === undefined) return;
      this.held.delete(this.revision + 1);
      this.apply(this.revision + 1, op);
    }
  }

  get idle() { return this.inflight === null && this.buffer === null && this.held.size === 0; }

  get connected() { return this.connection.state === signalR.HubConnectionState.Connected; }

  close() { return this.connection.stop(); }
}

// What a peer's client records into: the same maps and counters as ours (peers.mjs).
const peerContext = {
  config,
  text,
  counters,
  random,
  now,
  arrivedAt,
  countError,
  codePoints,
  get measureFrom() { return measureFrom; },
  get measureTo() { return measureTo; },
  // One acknowledged submission: its stamps (made-at of each measured op; -1 unmeasured), keyed for seen-by-others.
  acked(client, key, stamps, at) {
    const made = stamps.filter((t) => t >= 0);
    const handled = now();
    for (const t of made) {
      ackLatencies.push(at - t);
      ackHandledLatencies.push(handled - t);
      ackByNode[client.node].push(at - t);
      slowest.note(t, at - t);
    }
    counters.acked++;
    counters.ackedOps += stamps.length;
    if (made.length > 0) submissions.set(key, { member: client.member, client: client.index, node: client.node, made });
  },
  // Another client's op arrived at this client.
  seen(client, key, member, at) {
    if (client.proposalId !== config.proposalId) return;
    let list = seen.get(key);
    if (list === undefined) { list = []; seen.set(key, list); }
    list.push({ at, client: client.index, node: client.node, member });
  },
};

let lastPresenceAt = 0;
const gapSamples = [];
function gap(client, kind, got) {
  counters.revisionGaps++;
  if (gapSamples.length < 20) gapSamples.push({ client: client.index, kind, expected: client.revision + 1, got, inflight: client.inflight !== null, t: Math.round(now()) });
}

// Clients are spread over the nodes in equal consecutive blocks (one node: all of them on it).
async function openAll(count, concurrency, proposalId = config.proposalId) {
  const clients = [];
  const perNode = Math.ceil(count / nodes.length);
  for (let i = 0; i < count; i++) {
    const node = Math.min(nodes.length - 1, Math.floor(i / perNode));
    const tokens = nodes[node].tokens ?? [];
    const t = tokens.length > 0 ? tokens[i % tokens.length] : { token: '', member: `client${i}` };
    clients.push(config.peer ? makePeerClient(config.peer, peerContext, i, proposalId, node) : new Client(i, t.token, t.member, proposalId, node));
  }
  let next = 0;
  let failed = 0;
  let opened = 0;
  const deadline = now() + config.connectTimeoutSeconds * 1000;
  async function worker() {
    while (next < clients.length && now() < deadline) {
      const client = clients[next++];
      try {
        await withTimeout(client.open(), config.openTimeoutSeconds * 1000, 'open');
        if (++opened % 500 === 0) log(`${opened} clients opened the proposal`);
      } catch (err) {
        failed++;
        client.broken = true;
        countError(err);
        client.close().catch(() => {});
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { clients: clients.filter((c) => !c.broken && c.doc !== undefined), failed };
}

async function closeAll(clients) {
  for (let i = 0; i < clients.length; i += 200) {
    await Promise.allSettled(clients.slice(i, i + 200).map((c) => withTimeout(c.close(), 10_000, 'stop')));
  }
}

async function drain(clients) {
  const until = now() + config.drainSeconds * 1000;
  while (now() < until && clients.some((c) => !c.idle)) await sleep(20);
  // Let the last EditApplied events arrive.
  await sleep(500);
  return clients.every((c) => c.idle);
}

async function convergence(clients, reader) {
  const snapshot = config.peer
    ? await withTimeout(peerSnapshot(config.peer, peerContext, config.proposalId), 30_000, 'snapshot')
    : await reader.connection.invoke('OpenProposal', config.proposalId);
  const serverText = snapshot.text;
  const agreeing = clients.filter((c) => c.doc === serverText && c.revision === snapshot.revision).length;
  return { serverRevision: snapshot.revision, serverLength: codePoints(serverText), clientsAgreeing: agreeing, clients: clients.length };
}

function seenLatencies() {
  const values = [];
  const sameNode = [];
  const crossNode = [];
  let missing = 0;
  for (const [revision, sub] of submissions) {
    const receivers = seen.get(revision) ?? [];
    const others = receivers.filter((r) => r.client !== sub.client);
    missing += Math.max(0, config.clients - 1 - others.length);
    for (const r of others) {
      if (r.member !== sub.member) counters.memberMismatch = (counters.memberMismatch ?? 0) + 1;
      const pair = r.node === sub.node ? sameNode : crossNode;
      for (const t of sub.made) { values.push(r.at - t); pair.push(r.at - t); }
    }
  }
  return { values, sameNode, crossNode, missing };
}

// Before any workload is measured: the same editing path at full speed on another proposal,
// so the server's tiered JIT has compiled it (its background compilation would otherwise be
// billed to the measured window). Nothing of it is counted.
async function prewarm() {
  if (!config.prewarmProposalId || !(config.prewarmSeconds > 0)) return;
  const { clients } = await openAll(10, 10, config.prewarmProposalId);
  let running = true;
  for (const c of clients) {
    // Paced under the hub's per-connection edit limit (50/s) unless the bench lifted it, so no op is refused.
    const next = () => { if (running && c.idle) c.edit(); };
    c.onAckedHook = () => { if (running) { if (config.prewarmPaceMs > 0) setTimeout(next, config.prewarmPaceMs); else setImmediate(next); } };
    c.edit();
  }
  await sleep(config.prewarmSeconds * 1000);
  running = false;
  await drain(clients);
  await closeAll(clients);
  const edits = counters.acked;
  for (const key of Object.keys(counters)) counters[key] = 0;
  errors.clear();
  log(`server pre-warmed for ${config.prewarmSeconds} s (${edits} edits acknowledged)`);
  return edits;
}

async function editing(closedLoop) {
  await prewarm();
  const { clients, failed } = await openAll(config.clients, 10);
  if (failed > 0 || clients.length < config.clients) throw new Error(`only ${clients.length} of ${config.clients} clients opened the proposal`);
  log(`${clients.length} clients opened ${config.proposalId}`);
  const t0 = now();
  measureFrom = t0 + config.warmupSeconds * 1000;
  measureTo = measureFrom + config.measureSeconds * 1000;
  let running = true;
  const timers = [];
  if (closedLoop) {
    for (const c of clients) {
      // Paced under the hub's per-connection edit limit (50/s) unless the bench lifted it, so no op is refused.
    const next = () => { if (running && c.idle) c.edit(); };
    c.onAckedHook = () => { if (running) { if (config.prewarmPaceMs > 0) setTimeout(next, config.prewarmPaceMs); else setImmediate(next); } };
      c.edit();
    }
  } else {
    // Open loop: each client has a fixed schedule (period 1/rate, random phase). One ticker makes
    // every op that has come due, so a late timer never lowers the offered load. An op is stamped
    // with its due time, so the ticker's period is billed to every latency: it ticks every 1 ms
    // (Node's finest timer; 2 ms before 2026-12-05, ~1 ms more on every figure), and how late ops
    // were made in the window is reported (makeLag).
    const interval = 1000 / config.opsPerSecond;
    const due = clients.map((c) => t0 + c.rand() * interval);
    const tick = () => {
      const at = now();
      for (let i = 0; i < clients.length; i++) {
        while (running && due[i] <= at) {
          counters.maxGeneratorLagMs = Math.max(counters.maxGeneratorLagMs, Math.round(at - due[i]));
          if (due[i] >= measureFrom && due[i] < measureTo) makeLags.push(at - due[i]);
          clients[i].edit(due[i]);
          due[i] += interval;
        }
      }
    };
    timers.push(setInterval(tick, 1));
  }
  await sleep(measureFrom - now());
  const before = sample();
  const ackedBefore = counters.ackedOps;
  console.log('WINDOW start');
  await sleep(measureTo - now());
  const after = sample();
  console.log('WINDOW end');
  const ackedInWindow = counters.ackedOps - ackedBefore;
  running = false;
  for (const t of timers) { clearTimeout(t); clearInterval(t); }
  const drained = await drain(clients);
  const cpu = cpuBetween(before, after);
  const seenBy = seenLatencies();
  const check = await convergence(clients, clients[0]);
  await closeAll(clients);
  const cluster = nodes.length < 2 ? {} : {
    nodes: nodes.map((n, i) => ({
      name: n.name,
      url: n.url,
      clients: clients.filter((c) => c.node === i).length,
      ack: percentiles(ackByNode[i]),
      cpuSeconds: cpu.nodeCpuSeconds[n.name],
      cpuUtilisation: cpu.nodeCpuSeconds[n.name] / cpu.wallSeconds,
    })),
    seenSameNode: percentiles(seenBy.sameNode),
    seenCrossNode: percentiles(seenBy.crossNode),
  };
  return {
    ...cluster,
    clients: clients.length,
    window: cpu,
    ack: percentiles(ackLatencies),
    // The same acks stamped when this process handled them (before 2026-12-05 the measure).
    ackHandled: percentiles(ackHandledLatencies),
    makeLag: closedLoop ? undefined : percentiles(makeLags),
    seen: percentiles(seenBy.values),
    ackBursts: slowest.summary(),
    generatorGc: { ...gc, totalMs: Math.round(gc.totalMs), maxMs: Math.round(gc.maxMs) },
    seenMissing: seenBy.missing,
    ackedOpsInWindow: ackedInWindow,
    ackedOpsPerSecond: ackedInWindow / cpu.wallSeconds,
    ackedOpsPerServerCpuSecond: ackedInWindow / cpu.serverCpuSeconds,
    serverCpuSecondsPerOp: cpu.serverCpuSeconds / ackedInWindow,
    serverCpuUtilisation: cpu.serverCpuSeconds / cpu.wallSeconds,
    loadCpuUtilisation: cpu.loadCpuSeconds / cpu.wallSeconds,
    azuriteCpuUtilisation: cpu.azuriteCpuSeconds === null ? null : cpu.azuriteCpuSeconds / cpu.wallSeconds,
    counters,
    drained,
    convergence: check,
  };
}

async function connections() {
  // Warm the path once, so the "before" figure includes a proposal grain and a hub that served a call.
  const warm = await openAll(20, 10);
  await closeAll(warm.clients);
  await sleep(2000);
  const rssBefore = rssKiB(config.serverPid);
  const started = now();
  const { clients, failed } = await openAll(config.clients, config.connectConcurrency);
  const joinSeconds = (now() - started) / 1000;
  log(`${clients.length} idle clients joined in ${joinSeconds.toFixed(1)} s (${failed} failed)`);
  const rssJoined = rssKiB(config.serverPid);
  // Presence pushes go out while the room fills; wait until they have stopped, then settle.
  const quietUntil = now() + config.drainSeconds * 1000;
  while (now() < quietUntil && now() - Math.max(lastPresenceAt, started) < 2000) await sleep(100);
  // RSS every 5 s while settling: freed pool blocks and GC heap shrinkage show up here.
  const rssSeries = [rssKiB(config.serverPid)];
  for (let waited = 0; waited < config.settleSeconds; waited += 5) {
    await sleep(5000);
    rssSeries.push(rssKiB(config.serverPid));
  }
  const rssAfter = rssSeries[rssSeries.length - 1];
  const connected = clients.filter((c) => c.connected).length;
  const presence = clients.reduce((n, c) => n + c.presenceMessages, 0);
  const result = {
    clients: clients.length,
    failed,
    joinSeconds,
    serverRssBeforeKiB: rssBefore,
    serverRssJoinedKiB: rssJoined,
    serverRssAfterKiB: rssAfter,
    serverRssSettlingKiB: rssSeries,
    connectedAtMeasurement: connected,
    // Per connection still open when RSS was read (the server frees a dropped one's state).
    kibPerConnection: (rssAfter - rssBefore) / Math.max(1, connected),
    presenceMessagesReceived: presence,
    loadRssKiB: Math.round(process.memoryUsage().rss / 1024),
  };
  await closeAll(clients);
  return result;
}

// @microsoft/signalr throws from a socket callback when a handshake fails while connecting;
// count it like any refused connection instead of losing the whole run.
process.on('uncaughtException', (err) => countError(err));

const hardStop = setTimeout(() => { log('hard time limit reached; exiting'); process.exit(3); }, config.hardLimitSeconds * 1000);
try {
  let result;
  if (config.workload === 'typing' || config.workload === 'cluster') result = await editing(false);
  else if (config.workload === 'saturation') result = await editing(true);
  else if (config.workload === 'connections') result = await connections();
  // The pre-warm alone (typing-fresh: the bench then removes what it stored before typing starts).
  else if (config.workload === 'prewarm') result = { prewarmEdits: await prewarm() ?? 0 };
  else throw new Error(`unknown workload ${config.workload}`);
  result.errors = Object.fromEntries(errors);
  if (gapSamples.length > 0) result.gapSamples = gapSamples;
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  clearTimeout(hardStop);
  process.exit(0);
} catch (err) {
  log('failed:', err?.stack ?? err);
  process.stdout.write(`RESULT ${JSON.stringify({ failure: String(err?.message ?? err), errors: Object.fromEntries(errors) })}\n`);
  process.exit(2);
}

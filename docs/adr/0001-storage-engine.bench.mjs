#!/usr/bin/env node
// Benchmark behind docs/adr/0001-storage-engine.md. Throwaway-grade, but rerunnable:
//
//   node docs/adr/0001-storage-engine.bench.mjs [--dir /tmp/gureum-bench] [--sqlite-from DIR]
//        [--keys 1000000] [--writes 4000] [--only lmdb,sqlite,log] [--fsync] [--reps 3] [--no-store]
//
// The ADR's tables come from: --sqlite-from /tmp/gbench/sqlite --fsync --reps 3 (about 90 s).
//
// better-sqlite3 is NOT a project dependency. Install it somewhere else and point at it:
//   mkdir -p /tmp/gbench/sqlite && cd /tmp/gbench/sqlite && npm init -y && npm install better-sqlite3
//   node docs/adr/0001-storage-engine.bench.mjs --sqlite-from /tmp/gbench/sqlite
// Without it the SQLite rows are skipped (with a message).
//
// What is measured (all on one machine, warm OS page cache; numbers are per engine):
//  - acknowledged writes of ~200-byte records, one put per "request", acknowledged only once
//    the write survives kill -9 of the process (not power loss):
//      lmdb    `await db.put()` (commit; overlappingSync default, eventTurnBatching default) —
//              note: on Linux this default already waits for the disk flush (see the ADR)
//      lmdb-nosync  the same with noSync: true (page cache only, like SQLite NORMAL)
//      sqlite  WAL, synchronous=NORMAL, one autocommit INSERT per request (synchronous API),
//              and a group-commit variant (requests of one event-loop turn in one transaction)
//      log     JSON line appended with fs.writeSync per request, and a per-turn grouped variant
//    at concurrency 1 and 16 (16 "requests" in flight; each waits for its ack, then sends again)
//  - with --fsync also power-loss durability (lmdb `await db.flushed`, sqlite synchronous=FULL,
//    log fdatasync per group)
//  - point reads of 1,000 random keys and ordered range reads of 1,000 consecutive keys out of
//    a store holding --keys records
//  - cold open of that store in a fresh process: open + first read, and a full scan into a Map
//    (what gureum's Table does on first use), plus process RSS after it
//  - size of the store on disk
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/gureum-bench' },
    'sqlite-from': { type: 'string' },
    keys: { type: 'string', default: '1000000' },
    writes: { type: 'string', default: '4000' },
    only: { type: 'string', default: 'lmdb,sqlite,log' },
    fsync: { type: 'boolean', default: false },
    reps: { type: 'string', default: '3' }, // write rows: median of this many runs (by ops/s)
    'no-store': { type: 'boolean', default: false }, // skip the big-store part
    child: { type: 'string' }, // internal: cold-open measurement in a fresh process
  },
});
const DIR = args.dir;
const NKEYS = Number(args.keys);
const NWRITES = Number(args.writes);
const ONLY = new Set(args.only.split(','));
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// engines
const SCOPE = '000000000000/us-east-1';
const PREFIX = ['s', 'sqs', 'messages', SCOPE];
const pad = (i) => 'm' + String(i).padStart(9, '0');
const record = (i) => ({
  MessageId: `8f0c${String(i).padStart(8, '0')}-4f3e-9d1b-6a2e1c7b5d90`,
  Body: `message body ${i} `.padEnd(96, 'x'),
  MD5OfBody: '0123456789abcdef0123456789abcdef',
  SentTimestamp: 1700000000000 + i,
  ReceiveCount: 0,
  VisibleAt: 1700000000000 + i,
});
// ≈200 bytes as JSON, ≈180 as msgpack
const sqlKey = (k) => k.join('\u0000');

async function loadLmdb() {
  return (await import('lmdb')).open;
}

function loadSqlite() {
  const from = args['sqlite-from'];
  const tries = [from && join(from, 'package.json'), import.meta.url, join(process.cwd(), 'package.json')].filter(Boolean);
  for (const base of tries) {
    try {
      return createRequire(base)('better-sqlite3');
    } catch {
      /* next */
    }
  }
  return undefined;
}

function openLmdb(open, dir, extra = {}) {
  return open({ path: join(dir, 'state.mdb'), compression: false, mapSize: 2 ** 34, ...extra });
}

function openSqlite(Database, dir, sync = 'NORMAL') {
  const db = new Database(join(dir, 'state.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec('CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID');
  return db;
}

/** Each writer: put(key, value) → Promise resolved when the write is acknowledged. */
const writers = {
  async lmdb(dir, { fsync }) {
    const open = await loadLmdb();
    const db = openLmdb(open, dir);
    return {
      put: fsync ? async (k, v) => { await db.put(k, v); await db.flushed; } : (k, v) => db.put(k, v),
      close: () => db.close(),
    };
  },
  async 'lmdb-nosync'(dir, { fsync }) {
    // noSync: commits reach the OS page cache (survive kill -9), never fsync'd
    if (fsync) return undefined;
    const open = await loadLmdb();
    const db = openLmdb(open, dir, { noSync: true });
    return { put: (k, v) => db.put(k, v), close: () => db.close() };
  },
  async sqlite(dir, { fsync }) {
    const db = openSqlite(loadSqlite(), dir, fsync ? 'FULL' : 'NORMAL');
    const ins = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
    return {
      put: (k, v) => { ins.run(sqlKey(k), JSON.stringify(v)); return Promise.resolve(); },
      close: () => db.close(),
    };
  },
  async 'sqlite-group'(dir, { fsync }) {
    const db = openSqlite(loadSqlite(), dir, fsync ? 'FULL' : 'NORMAL');
    const ins = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
    const flush = db.transaction((batch) => { for (const [k, v] of batch) ins.run(k, v); });
    let batch = [], waiters = [];
    return {
      put(k, v) {
        batch.push([sqlKey(k), JSON.stringify(v)]);
        if (batch.length === 1) setImmediate(() => {
          const b = batch, w = waiters;
          batch = []; waiters = [];
          flush(b);
          for (const r of w) r();
        });
        return new Promise((r) => waiters.push(r));
      },
      close: () => db.close(),
    };
  },
  async log(dir, { fsync }) {
    const fd = openSync(join(dir, 'state.jsonl'), 'a');
    return {
      put(k, v) { writeSync(fd, JSON.stringify([k, v]) + '\n'); if (fsync) fdatasyncSync(fd); return Promise.resolve(); },
      close: () => closeSync(fd),
    };
  },
  async 'log-group'(dir, { fsync }) {
    const fd = openSync(join(dir, 'state.jsonl'), 'a');
    let lines = '', waiters = [];
    return {
      put(k, v) {
        const first = lines === '';
        lines += JSON.stringify([k, v]) + '\n';
        if (first) setImmediate(() => {
          const l = lines, w = waiters;
          lines = ''; waiters = [];
          writeSync(fd, l);
          if (fsync) fdatasyncSync(fd);
          for (const r of w) r();
        });
        return new Promise((r) => waiters.push(r));
      },
      close: () => closeSync(fd),
    };
  },
};

const engineOf = (w) => w.split('-')[0];

// ---------------------------------------------------------------------------------------------
// measurement helpers
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function summary(lat, ms, n) {
  lat.sort((a, b) => a - b);
  return { ops: Math.round((n / ms) * 1000), p50: pct(lat, 50) * 1000, p99: pct(lat, 99) * 1000 };
}
const fmtUs = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`);
const fmtOps = (n) => n.toLocaleString('en-US');
const dirSize = (d) => readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirSize(join(d, e.name)) : statSync(join(d, e.name)).size), 0);
const fresh = (name) => {
  const d = join(DIR, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  return d;
};

async function writeBench(name, concurrency, fsync) {
  const dir = fresh(`w-${name}-${concurrency}${fsync ? '-fsync' : ''}`);
  const w = await writers[name](dir, { fsync });
  if (!w) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const n = fsync ? Math.min(NWRITES, 1000) : NWRITES;
  // warm-up
  for (let i = 0; i < 200; i++) await w.put([...PREFIX, 'warm' + i], record(i));
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      await w.put([...PREFIX, pad(i)], record(i));
      lat.push(performance.now() - s);
    }
  }));
  const ms = performance.now() - t0;
  await w.close();
  rmSync(dir, { recursive: true, force: true });
  return summary(lat, ms, n);
}

// ---------------------------------------------------------------------------------------------
// the big store: populate, read, cold-open
async function populate(engine, dir) {
  const t0 = performance.now();
  if (engine === 'lmdb') {
    const db = openLmdb(await loadLmdb(), dir);
    const CH = 50_000;
    for (let s = 0; s < NKEYS; s += CH) db.transactionSync(() => { for (let i = s; i < Math.min(NKEYS, s + CH); i++) db.putSync([...PREFIX, pad(i)], record(i)); });
    await db.close();
  } else if (engine === 'sqlite') {
    const db = openSqlite(loadSqlite(), dir);
    const ins = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
    const CH = 50_000;
    for (let s = 0; s < NKEYS; s += CH) db.transaction(() => { for (let i = s; i < Math.min(NKEYS, s + CH); i++) ins.run(sqlKey([...PREFIX, pad(i)]), JSON.stringify(record(i))); })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  } else {
    const fd = openSync(join(dir, 'state.jsonl'), 'w');
    // keys written in a shuffled-ish order (a log is append order, not key order)
    const CH = 20_000;
    for (let s = 0; s < NKEYS; s += CH) {
      let buf = '';
      for (let i = s; i < Math.min(NKEYS, s + CH); i++) {
        const j = (i * 7919) % NKEYS;
        buf += JSON.stringify([[...PREFIX, pad(j)], record(j)]) + '\n';
      }
      writeSync(fd, buf);
    }
    closeSync(fd);
  }
  return performance.now() - t0;
}

// deterministic "random" keys
function* rng(seed) {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    yield x;
  }
}

async function readBench(engine, dir) {
  const r = rng(42);
  const pointKeys = Array.from({ length: 1000 }, () => [...PREFIX, pad(r.next().value % NKEYS)]);
  const rangeStarts = Array.from({ length: 20 }, () => r.next().value % (NKEYS - 1000));
  let get, range, close;
  if (engine === 'lmdb') {
    const db = openLmdb(await loadLmdb(), dir);
    get = (k) => db.get(k);
    range = (s) => { let n = 0; for (const e of db.getRange({ start: [...PREFIX, pad(s)], end: [...PREFIX, '\uffff'], limit: 1000 })) n += e.value.ReceiveCount + 1; return n; };
    close = () => db.close();
  } else if (engine === 'sqlite') {
    const db = openSqlite(loadSqlite(), dir);
    const g = db.prepare('SELECT v FROM kv WHERE k = ?');
    const rg = db.prepare('SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT 1000');
    get = (k) => JSON.parse(g.get(sqlKey(k)).v);
    range = (s) => { let n = 0; for (const row of rg.iterate(sqlKey([...PREFIX, pad(s)]))) n += JSON.parse(row.v).ReceiveCount + 1; return n; };
    close = () => db.close();
  } else {
    // a log has no index: replay it into a Map, keep a sorted key list for ranges
    const m = replayLog(dir);
    const keys = [...m.keys()].sort();
    get = (k) => m.get(sqlKey(k));
    range = (s) => {
      const start = sqlKey([...PREFIX, pad(s)]);
      let lo = 0, hi = keys.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (keys[mid] < start) lo = mid + 1; else hi = mid; }
      let n = 0;
      for (let i = lo; i < Math.min(keys.length, lo + 1000); i++) n += m.get(keys[i]).ReceiveCount + 1;
      return n;
    };
    close = () => {};
  }
  for (const k of pointKeys.slice(0, 100)) get(k); // warm-up
  const plat = [];
  let t0 = performance.now();
  for (const k of pointKeys) { const s = performance.now(); if (!get(k)) throw new Error('missing ' + k); plat.push(performance.now() - s); }
  const point = summary(plat, performance.now() - t0, pointKeys.length);
  range(rangeStarts[0]);
  const rlat = [];
  t0 = performance.now();
  for (const s of rangeStarts) { const st = performance.now(); if (range(s) !== 1000) throw new Error('short range'); rlat.push(performance.now() - st); }
  const rng1000 = summary(rlat, performance.now() - t0, rangeStarts.length);
  await close();
  return { point, range: rng1000 };
}

function replayLog(dir) {
  const m = new Map();
  const text = readFileSync(join(dir, 'state.jsonl'), 'utf8');
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    const [k, v] = JSON.parse(text.slice(at, nl));
    m.set(sqlKey(k), v);
    at = nl + 1;
  }
  return m;
}

async function coldOpenChild(engine, dir) {
  const t0 = performance.now();
  let firstRead, fullScan;
  const probe = [...PREFIX, pad(NKEYS >> 1)];
  if (engine === 'lmdb') {
    const db = openLmdb(await loadLmdb(), dir);
    if (!db.get(probe)) throw new Error('probe');
    firstRead = performance.now() - t0;
    const m = new Map();
    for (const { key, value } of db.getRange({ start: [...PREFIX, null], end: [...PREFIX, '\uffff\uffff'] })) m.set(key[PREFIX.length], value);
    if (m.size !== NKEYS) throw new Error('scan ' + m.size);
    fullScan = performance.now() - t0;
  } else if (engine === 'sqlite') {
    const db = openSqlite(loadSqlite(), dir);
    if (!db.prepare('SELECT v FROM kv WHERE k = ?').get(sqlKey(probe))) throw new Error('probe');
    firstRead = performance.now() - t0;
    const m = new Map();
    for (const row of db.prepare('SELECT k, v FROM kv ORDER BY k').iterate()) m.set(row.k, JSON.parse(row.v));
    if (m.size !== NKEYS) throw new Error('scan ' + m.size);
    fullScan = performance.now() - t0;
  } else {
    const m = replayLog(dir);
    if (!m.get(sqlKey(probe))) throw new Error('probe');
    firstRead = fullScan = performance.now() - t0;
  }
  const rss = process.memoryUsage().rss;
  console.log(JSON.stringify({ firstRead, fullScan, rssMiB: Math.round(rss / 2 ** 20) }));
}

function coldOpen(engine, dir) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', SELF, '--child', engine, '--dir', dir, '--keys', String(NKEYS), ...(args['sqlite-from'] ? ['--sqlite-from', args['sqlite-from']] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold open ${engine} failed: ${r.stderr}`);
  // module loading is part of the cold start; node's own start-up is not
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// ---------------------------------------------------------------------------------------------
async function main() {
  if (args.child) {
    await coldOpenChild(args.child, args.dir);
    return;
  }
  mkdirSync(DIR, { recursive: true });
  const haveSqlite = !!loadSqlite();
  if (ONLY.has('sqlite') && !haveSqlite) console.log('# better-sqlite3 not found (use --sqlite-from DIR): SQLite rows skipped');
  const wanted = Object.keys(writers).filter((w) => ONLY.has(engineOf(w)) && (engineOf(w) !== 'sqlite' || haveSqlite));

  console.log(`# node ${process.version}, ${NWRITES} acknowledged writes per run (1,000 with fsync), ~200-byte records, median of ${args.reps} runs\n`);
  console.log('| writer | concurrency | ops/s | p50 | p99 |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const fsync of args.fsync ? [false, true] : [false]) {
    for (const w of wanted) {
      for (const c of [1, 16]) {
        const runs = [];
        for (let i = 0; i < Number(args.reps); i++) runs.push(await writeBench(w, c, fsync));
        if (!runs[0]) continue;
        runs.sort((a, b) => a.ops - b.ops);
        const r = runs[runs.length >> 1];
        console.log(`| ${w}${fsync ? ' (fsync)' : ''} | ${c} | ${fmtOps(r.ops)} | ${fmtUs(r.p50)} | ${fmtUs(r.p99)} |`);
      }
    }
  }

  if (args['no-store']) return;
  console.log(`\n# store of ${fmtOps(NKEYS)} keys\n`);
  console.log('| engine | populate | size on disk | point get ops/s | get p50 / p99 | range 1,000 p50 / p99 | cold open + first get | cold open + full scan into Map | RSS after scan |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const e of ['lmdb', 'sqlite', 'log'].filter((e) => ONLY.has(e) && (e !== 'sqlite' || haveSqlite))) {
    const dir = fresh(`big-${e}`);
    const pop = await populate(e, dir);
    const size = dirSize(dir);
    const rd = await readBench(e, dir);
    const co = coldOpen(e, dir);
    console.log(`| ${e} | ${(pop / 1000).toFixed(1)} s | ${(size / 2 ** 20).toFixed(0)} MiB | ${fmtOps(rd.point.ops)} | ${fmtUs(rd.point.p50)} / ${fmtUs(rd.point.p99)} | ${fmtUs(rd.range.p50)} / ${fmtUs(rd.range.p99)} | ${fmtUs(co.firstRead * 1000)} | ${(co.fullScan / 1000).toFixed(2)} s | ${co.rssMiB} MiB |`);
    rmSync(dir, { recursive: true, force: true });
  }
  if (existsSync(DIR) && readdirSync(DIR).length === 0) rmSync(DIR, { recursive: true, force: true });
}

await main();

// Growth: the refresh_token grant's latency and Standin's memory with GROWTH_TOKENS_SMALL (1 thousand) and
// GROWTH_TOKENS (1 million) stored refresh tokens, both with GROWTH_USERS (100 thousand) users, in a file
// database. The rows are written straight into the file with better-sqlite3 in one transaction each,
// token values hashed as src/store/secrets.ts hashSecret does (SHA-256, base64url), then Standin starts on
// the file. Requests go round-robin over 1000 stored tokens of richard@example.com (Reusable).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SECONDS, checkLoad, load, ratio, rssMiB, startStandin } from '../lib/common.mjs';
import { APP, SECRET, USER_ID, basic, login, writeKickstart } from '../lib/standin.mjs';

const TOKENS = Number(process.env.GROWTH_TOKENS ?? 1_000_000);
const SMALL = Number(process.env.GROWTH_TOKENS_SMALL ?? 1_000);
const USERS = Number(process.env.GROWTH_USERS ?? 100_000);
const KNOWN = Math.min(1000, SMALL);
const GROWTH_SECONDS = Math.min(4, SECONDS);
const ROUNDS = 3;
export const title = `Growth: ${SMALL} vs ${TOKENS} stored refresh tokens, ${USERS} users`;

const hashSecret = (value) => createHash('sha256').update(value, 'utf8').digest('base64url');

function insertTokens(db, count, userIds, template, known) {
  const insert = db.prepare(
    `INSERT INTO refresh_tokens (id, token_hash, user_id, application_id, tenant_id, start_instant, insert_instant, last_used, expires_at, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const value = randomBytes(32).toString('base64url');
      if (known) known.push(value);
      const userId = known ? USER_ID : userIds[i % userIds.length];
      insert.run(randomUUID(), hashSecret(value), userId, APP, template.tenant_id, now, now, now, template.expires_at, template.body);
    }
  })();
}

function open(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  return db;
}

/** Starts Standin on `db` and keeps its start time, its memory at rest and a load runner for its grant. */
async function startSubject(db, known) {
  const standin = await startStandin({ db });
  const rssAtRestMiB = rssMiB(standin.pid);
  let next = 0;
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(APP, SECRET) };
  const requests = [
    {
      method: 'POST',
      path: '/oauth2/token',
      headers,
      setupRequest: (r) => ({ ...r, body: `grant_type=refresh_token&refresh_token=${known[next++ % known.length]}` }),
    },
  ];
  return {
    standin,
    rssAtRestMiB,
    runs: { 1: [], 10: [] },
    async loadOnce(connections) {
      this.runs[connections].push(
        checkLoad(`growth c${connections}`, await load({ url: standin.url, connections, seconds: GROWTH_SECONDS, requests })),
      );
    },
  };
}

/** The run with the median mean latency: one short run alone moved the ratio by ± 0.15 between runs. */
function medianRun(runs) {
  return [...runs].sort((a, b) => a.mean - b.mean)[Math.floor(runs.length / 2)];
}

/**
 * Both databases are served at once and take turns, ROUNDS runs each at every concurrency, so that a burst of
 * load on a shared machine falls on both alike; each figure is the median run.
 */
async function measureBoth(small, large, known) {
  const subjects = [await startSubject(small, known), await startSubject(large, known)];
  try {
    for (const connections of [1, 10])
      for (let round = 0; round < ROUNDS; round++) for (const subject of subjects) await subject.loadOnce(connections);
    return subjects.map((subject, i) => ({
      coldStartMs: Math.round(subject.standin.ms),
      rssAtRestMiB: subject.rssAtRestMiB,
      rssAfterLoadMiB: rssMiB(subject.standin.pid),
      runs: { 1: medianRun(subject.runs[1]), 10: medianRun(subject.runs[10]) },
      fileMiB: Math.round(statSync([small, large][i]).size / 2 ** 20),
    }));
  } finally {
    for (const subject of subjects) await subject.standin.stop();
  }
}

export async function run({ work }) {
  const dir = join(work, 'growth');
  mkdirSync(dir, { recursive: true });
  const base = join(dir, 'base.db');
  const seeding = await startStandin({ db: base, kickstart: writeKickstart(work) });
  await login(seeding.url);
  await seeding.stop();

  const t0 = performance.now();
  const known = [];
  let db = open(base);
  const user = db.prepare('SELECT * FROM users WHERE id = ?').get(USER_ID);
  const template = db.prepare('SELECT * FROM refresh_tokens LIMIT 1').get();
  const userBody = JSON.parse(user.body);
  const userIds = [];
  const insertUser = db.prepare('INSERT INTO users (id, tenant_id, email, username, password_hash, body) VALUES (?, ?, ?, NULL, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const id = randomUUID();
      const email = `growth-${i}@example.com`;
      userIds.push(id);
      insertUser.run(
        id,
        user.tenant_id,
        email,
        user.password_hash,
        JSON.stringify({ ...userBody, id, email, firstName: `Growth ${i}`, lastName: undefined }),
      );
    }
  })();
  insertTokens(db, KNOWN, userIds, template, known);
  if (SMALL > KNOWN) insertTokens(db, SMALL - KNOWN, userIds, template);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const usersSeconds = (performance.now() - t0) / 1000;

  const large = join(dir, 'large.db');
  copyFileSync(base, large);
  const t1 = performance.now();
  db = open(large);
  insertTokens(db, TOKENS - SMALL, userIds, template);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const tokensSeconds = (performance.now() - t1) / 1000;

  const [smallResult, largeResult] = await measureBoth(base, large, known);
  const raw = {
    rows: { users: USERS, small: SMALL, large: TOKENS },
    insert: {
      usersAndSmallSeconds: Math.round(usersSeconds * 10) / 10,
      largeTokensSeconds: Math.round(tokensSeconds * 10) / 10,
      tokensPerSecond: Math.round((TOKENS - SMALL) / tokensSeconds),
    },
    small: smallResult,
    large: largeResult,
  };
  const { small: s, large: l } = raw;
  const rows = [];
  for (const [label, r] of [
    [`${SMALL} tokens`, s],
    [`${TOKENS} tokens`, l],
  ]) {
    rows.push({
      subject: `Standin, ${USERS} users, ${label}, refresh_token grant c1 / c10`,
      figure: `${r.runs[1].perSecond} / ${r.runs[10].perSecond} req/s`,
      detail: `c1 mean ${r.runs[1].mean} ms, p99 ${r.runs[1].p99} ms; RSS ${r.rssAtRestMiB} MiB at rest, ${r.rssAfterLoadMiB} after; start ${r.coldStartMs} ms; file ${r.fileMiB} MiB`,
      ratios:
        r === l
          ? [
              `c1 latency ${ratio(l.runs[1].mean, s.runs[1].mean)}`,
              `c10 req/s ${ratio(l.runs[10].perSecond, s.runs[10].perSecond)}`,
              `RSS ${ratio(l.rssAfterLoadMiB, s.rssAfterLoadMiB)}`,
              `start ${ratio(l.coldStartMs, s.coldStartMs)}`,
            ]
          : [],
    });
  }
  rows.push({
    subject: 'bulk insert (better-sqlite3, one transaction)',
    figure: `${raw.insert.tokensPerSecond} tokens/s`,
    detail: `${USERS} users + ${SMALL} tokens ${raw.insert.usersAndSmallSeconds} s; ${TOKENS - SMALL} tokens ${raw.insert.largeTokensSeconds} s`,
    ratios: [],
  });
  return {
    rows,
    raw,
    note: `ratios: ${TOKENS} tokens / ${SMALL} tokens (1 = no growth); the median of ${ROUNDS} load runs of ${GROWTH_SECONDS} s each, the two databases in turn`,
  };
}

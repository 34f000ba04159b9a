// npm run bench: every scenario in one run, one table, bench/results/latest.json.
// One scenario alone: node bench/run.mjs tokens   (names: cold-start limits tokens login growth profile)
// BENCH_SECONDS=2 shortens every load run (default 10). The profile scenario runs only when named.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECONDS } from './lib/common.mjs';

const ALL = ['cold-start', 'start-standin', 'limits', 'tokens', 'login', 'flood', 'growth'];
const OPTIONAL = ['profile'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const name of names)
  if (![...ALL, ...OPTIONAL].includes(name)) throw new Error(`unknown scenario ${name}; known: ${[...ALL, ...OPTIONAL].join(' ')}`);

const machine = `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const work = mkdtempSync(join(tmpdir(), 'standin-bench-'));
const shared = {};
const results = { date: new Date().toISOString(), machine, seconds: SECONDS, scenarios: {} };
const started = performance.now();
try {
  for (const name of names) {
    const t0 = performance.now();
    const scenario = await import(`./scenarios/${name}.mjs`);
    process.stderr.write(`[bench] ${name}…\n`);
    const { rows, raw, note } = await scenario.run({ work, shared });
    results.scenarios[name] = { title: scenario.title, note, seconds: Math.round((performance.now() - t0) / 1000), rows, raw };
    process.stderr.write(`[bench] ${name} done in ${results.scenarios[name].seconds} s\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
results.totalSeconds = Math.round((performance.now() - started) / 1000);

const lines = [`Standin benchmarks, ${results.date} — ${machine}; ${SECONDS} s per load run; whole run ${results.totalSeconds} s`, ''];
lines.push('| Scenario | Subject | Figure | Detail | Ratios |', '|---|---|---|---|---|');
for (const [name, { rows }] of Object.entries(results.scenarios)) {
  for (const row of rows) lines.push(`| ${name} | ${row.subject} | ${row.figure} | ${row.detail} | ${row.ratios.join('; ') || '—'} |`);
}
lines.push('');
for (const [name, { note }] of Object.entries(results.scenarios)) if (note) lines.push(`- ${name}: ${note}`);
lines.push('', ...targets(results.scenarios));
const table = lines.join('\n');
console.log(table);
results.table = table;
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));

/** The figures the start-up and throughput targets are stated in, each a ratio from this run (— when its scenario did not run). */
function targets(scenarios) {
  const r = (a, b) => (a && b ? (Math.round((a / b) * 100) / 100).toString() : '—');
  const cold = scenarios['cold-start']?.raw;
  const bare = cold?.['bare Node http server'];
  const restart = cold?.['Standin, default seed, existing file DB (restart)'];
  const memory = cold?.['Standin, default seed, :memory:'];
  const op = cold?.['oidc-provider 9'];
  const start = scenarios['start-standin']?.raw;
  const tokens = scenarios.tokens?.raw;
  // The tokens scenario's ratios are medians over rounds taken in turns (scenarios/tokens.mjs).
  const tokenRatio = (name) => tokens?.ratios[name]?.toString() ?? '—';
  const flood = scenarios.flood?.raw?.loaded;
  const growth = scenarios.growth?.raw;
  const p99 = (run) => (run ? (run.requests ? `${run.p99} ms` : 'no answer') : '—');
  const rows = [
    ['cold start, restart on a file database / bare Node', r(restart?.ms.median, bare?.ms.median)],
    ['cold start, :memory: with the default seed / bare Node', r(memory?.ms.median, bare?.ms.median)],
    ['startStandin(), 2nd–20th instance, same kickstart, median', start ? `${start.later.toFixed(1)} ms` : '—'],
    [
      'RSS at rest after restart: MiB / oidc-provider',
      restart ? `${restart.rss.median.toFixed(1)} MiB / ${r(restart.rss.median, op?.rss.median)}` : '—',
    ],
    [
      'refresh_token grant c1 / c10, Standin / oidc-provider',
      `${tokenRatio('grant c1 / oidc-provider')} / ${tokenRatio('grant c10 / oidc-provider')}`,
    ],
    [
      '— the same / oidc-provider with JWT access tokens (two RS256 signatures per refresh on both sides)',
      `${tokenRatio('grant c1 / oidc-provider with JWT access tokens')} / ${tokenRatio('grant c10 / oidc-provider with JWT access tokens')}`,
    ],
    [
      '— the grant c1 / the two-signature floor (bare Node signing the same two tokens); oidc-provider / that floor',
      `${tokenRatio('grant c1 / two-signature floor')} / ${tokenRatio('oidc-provider c1 / two-signature floor')}`,
    ],
    [
      "— the grant c10 at most, at this run's CPU a grant with every core busy (Standin's threads and the load generator's) / oidc-provider",
      tokenRatio('grant c10 ceiling / oidc-provider'),
    ],
    ["/api/jwt/refresh c10 / one core's RS256 signing", tokenRatio('/api/jwt/refresh c10 / RS256 signing')],
    [
      "— the same at most, at this run's CPU a request with every core busy / one core's RS256 signing",
      tokenRatio('/api/jwt/refresh c10 ceiling / RS256 signing'),
    ],
    ['login flood: discovery / refresh p99', `${p99(flood?.discovery)} / ${p99(flood?.refresh)}`],
    ['growth 1M vs 1k stored refresh tokens: c1 latency', r(growth?.large.runs[1].mean, growth?.small.runs[1].mean)],
  ];
  return ['| Target figure | This run |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)];
}

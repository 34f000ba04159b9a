// A CPU profile of the refresh_token grant under load: Standin started with `node --cpu-prof`, the grant
// (Reusable, concurrency 10) for SECONDS, then SIGTERM so Node writes the profile. Prints where the time
// goes: self time by function and by package, and inclusive time of Standin's own functions. Not part of
// the default run: node bench/run.mjs profile. The .cpuprofile is kept in bench/results/ (open it in
// Chrome DevTools or speedscope).
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLoad, load, startStandin } from '../lib/common.mjs';
import { APP, SECRET, basic, login, writeKickstart } from '../lib/standin.mjs';

const CONNECTIONS = Number(process.env.BENCH_PROFILE_CONNECTIONS ?? 10);
export const title = `CPU profile of the refresh_token grant (Reusable, c${CONNECTIONS})`;

function where(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const dist = /\/dist\/(.+)$/.exec(url);
  return dist ? `standin ${dist[1]}` : url.replace(/^file:\/\//, '');
}

export function summarize(profile, top = 30) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const selfUs = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame)}:${n.callFrame.lineNumber + 1}`;
  const bySelf = new Map();
  const byPackage = new Map();
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + us);
    const pkg = where(node.callFrame).replace(/^standin .*/, 'standin (dist/)');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = nodes.get(at);
      if (!(n.callFrame.url ?? '').includes('/dist/')) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const pct = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ where: k, percent: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), self: pct(bySelf), packages: pct(byPackage), standinInclusive: pct(inclusive) };
}

export async function run({ work }) {
  const profiles = join(work, 'cpu-profile');
  const standin = await startStandin({ db: ':memory:', kickstart: writeKickstart(work), nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${profiles}`] });
  let result;
  try {
    const { refreshToken } = await login(standin.url);
    // BENCH_PROFILE_ENDPOINT=jwt-refresh profiles POST /api/jwt/refresh instead of the grant.
    const request =
      process.env.BENCH_PROFILE_ENDPOINT === 'jwt-refresh'
        ? { url: `${standin.url}/api/jwt/refresh`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) }
        : {
            url: `${standin.url}/oauth2/token`,
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(APP, SECRET) },
            body: `grant_type=refresh_token&refresh_token=${refreshToken}`,
          };
    result = checkLoad(
      'profile',
      await load({
        ...request,
        connections: CONNECTIONS,
      }),
    );
  } finally {
    await standin.stop();
  }
  const file = readdirSync(profiles).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const results = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(results, { recursive: true });
  copyFileSync(join(profiles, file), join(results, 'refresh-grant.cpuprofile'));
  const summary = summarize(JSON.parse(readFileSync(join(profiles, file), 'utf8')));
  const rows = [
    {
      subject: `refresh_token grant under --cpu-prof, c${CONNECTIONS}`,
      figure: `${result.perSecond} req/s`,
      detail: `${summary.totalMs} ms profiled; bench/results/refresh-grant.cpuprofile`,
      ratios: [],
    },
    ...summary.packages.slice(0, 8).map((p) => ({ subject: `self time in ${p.where}`, figure: `${p.percent} %`, detail: '', ratios: [] })),
    ...summary.standinInclusive.slice(0, 25).map((p) => ({ subject: `inclusive: ${p.where}`, figure: `${p.percent} %`, detail: '', ratios: [] })),
    ...summary.self.slice(0, 25).map((p) => ({ subject: `self: ${p.where}`, figure: `${p.percent} %`, detail: '', ratios: [] })),
  ];
  return { rows, raw: { load: result, summary } };
}

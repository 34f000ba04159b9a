// Cold start: process spawn to the first 200 on /api/status, default seed, median of N runs.
// Loopback only; stops by itself. Usage: node bench/cold-start.mjs [runs]   (npm run bench builds first)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const runs = Number(process.argv[2] ?? 10);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Spawns Standin and polls /api/status every 2 ms; resolves with milliseconds from spawn to the first 200. */
async function coldStart(args) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, '--port', String(port), '--log-level', 'warn', ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    for (let i = 0; i < 10_000; i++) {
      if (child.exitCode !== null) throw new Error(`standin exited with ${child.exitCode}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/status`);
        if (response.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error('standin did not answer within the polling budget');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), samples: samples.map((s) => Math.round(s * 10) / 10) };
}

const work = mkdtempSync(join(tmpdir(), 'standin-bench-'));
const scenarios = {
  'default seed, new file database (first run: keys, hashes)': (i) => ['--db', join(work, `fresh-${i}`, 'standin.db')],
  'default seed, existing file database (restart)': () => ['--db', join(work, 'existing', 'standin.db')],
  'default seed, :memory:': () => ['--db', ':memory:'],
};

await coldStart(scenarios['default seed, existing file database (restart)']()); // create the existing database once
const results = {};
for (const [name, args] of Object.entries(scenarios)) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await coldStart(args(i)));
  results[name] = stats(samples);
}
rmSync(work, { recursive: true, force: true });

console.log(`Cold start to first 200 on /api/status, ${runs} runs each (${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version})`);
console.log('scenario'.padEnd(62), 'median ms', '  min', '  max');
for (const [name, { median, min, max }] of Object.entries(results)) {
  console.log(name.padEnd(62), median.toFixed(0).padStart(9), min.toFixed(0).padStart(5), max.toFixed(0).padStart(5));
}
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'cold-start.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, runs, results }, null, 2));

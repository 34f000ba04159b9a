// startStandin() N times in this one process with the same kickstart (as a test suite's workers do), each
// instance closed before the next; prints the milliseconds of each start as JSON, beside a bare
// `http.createServer().listen(0)` in the same process as the floor. Run by bench/scenarios/start-standin.mjs.
import { createServer } from 'node:http';
import { startStandin } from '../../dist/index.js';

const [kickstart, runs = '20'] = process.argv.slice(2);
const options = { kickstart, passwordHashing: 'fast', logLevel: 'silent' };
const standin = [];
const bare = [];
for (let i = 0; i < Number(runs); i++) {
  let t0 = performance.now();
  const running = await startStandin(options);
  standin.push(performance.now() - t0);
  // The instance must answer: a start that is not ready to serve would be a false figure.
  const status = await fetch(`${running.url}/api/status`);
  if (status.status !== 200) throw new Error(`instance ${i} answered ${status.status}`);
  await running.close();
  t0 = performance.now();
  const server = createServer((_q, s) => s.end());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  bare.push(performance.now() - t0);
  await new Promise((resolve) => server.close(resolve));
}
process.stdout.write(JSON.stringify({ standin, bare }));

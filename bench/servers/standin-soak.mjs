// The Standin under soak: started in this child with startStandin() from the build, so that it can report
// what only the server process knows — its event-loop delay (perf_hooks.monitorEventLoopDelay), its RSS and
// heap, and the password hasher's queue — to bench/soak.mjs over IPC, without the load generator's own
// event loop in the figures. Usage: node standin-soak.mjs <kickstart.json> <db file>
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startStandin } from '../../dist/index.js';

const [kickstart, db] = process.argv.slice(2);
const standin = await startStandin({ kickstart, db, host: '127.0.0.1', logLevel: 'warn', passwordHashing: 'standard' });
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const ms = (ns) => Math.round((ns / 1e6) * 10) / 10;

process.on('message', (message) => {
  if (message === 'sample') {
    const memory = process.memoryUsage();
    process.send({
      rssMiB: Math.round((memory.rss / 2 ** 20) * 10) / 10,
      heapMiB: Math.round((memory.heapUsed / 2 ** 20) * 10) / 10,
      loopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      passwords: standin.app.standin.passwords.load(),
    });
    delay.reset();
  }
  if (message === 'stop') standin.close().then(() => process.exit(0));
});
process.send({ url: standin.url });

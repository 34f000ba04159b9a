// startStandin() in one process: the first instance, and the median of the 2nd to the 20th with the same
// kickstart (the bench kickstart, --password-hashing fast, as the test helpers start it). Runs in a child
// process of its own, 5 times over; the figure is the median of the 5 medians.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, SERVERS, median } from '../lib/common.mjs';
import { writeKickstart } from '../lib/standin.mjs';

export const title = 'startStandin() in one process';
const PROCESSES = Number(process.env.BENCH_START_PROCESSES ?? 5);
const run1 = promisify(execFile);

// FusionAuth's React quickstart kickstart, as the tests carry it: ten included templates and stylesheets (`@{…}`).
const QUICKSTART = join(ROOT, 'test/fixtures/quickstart-react/kickstart.json');

/** The first start and the median of the 2nd–20th in each of PROCESSES processes, and the in-process listen(0) floor. */
async function startsWith(kickstart) {
  const firsts = [];
  const laters = [];
  const bares = [];
  for (let i = 0; i < PROCESSES; i++) {
    const { stdout } = await run1(process.execPath, [`${SERVERS}start-standin-loop.mjs`, kickstart, '20'], { cwd: ROOT, maxBuffer: 1 << 20 });
    const { standin, bare } = JSON.parse(stdout);
    firsts.push(standin[0]);
    laters.push(median(standin.slice(1)));
    bares.push(median(bare.slice(1)));
  }
  return { first: median(firsts), later: median(laters), bare: median(bares), firsts, laters };
}

export async function run({ work, shared }) {
  const raw = await startsWith(writeKickstart(work));
  const quickstart = await startsWith(QUICKSTART);
  shared.startStandin = raw;
  const spreadOf = (r) =>
    `median of ${PROCESSES} processes' medians (min ${Math.min(...r.laters).toFixed(1)}, max ${Math.max(...r.laters).toFixed(1)})`;
  return {
    rows: [
      {
        subject: 'startStandin(), 1st instance in a process',
        figure: `${raw.first.toFixed(1)} ms`,
        detail: `median of ${PROCESSES} processes`,
        ratios: [],
      },
      {
        subject: 'startStandin(), 2nd–20th instance, same kickstart',
        figure: `${raw.later.toFixed(1)} ms`,
        detail: spreadOf(raw),
        ratios: [`${(raw.later / raw.bare).toFixed(1)} × an in-process http listen(0) (${raw.bare.toFixed(2)} ms)`],
      },
      {
        subject: "startStandin(), FusionAuth's React quickstart kickstart (includes files): 1st / 2nd–20th",
        figure: `${quickstart.first.toFixed(1)} / ${quickstart.later.toFixed(1)} ms`,
        detail: spreadOf(quickstart),
        ratios: [],
      },
    ],
    raw: { ...raw, quickstart },
    note: 'milliseconds from the call to the resolved promise of a listening, seeded instance; lower is better',
  };
}

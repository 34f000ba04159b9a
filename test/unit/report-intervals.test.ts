import t from 'tap';
import { intervalFinder, intervalOf, isKnownTimeZone } from '../../src/model/report-intervals.js';

// The intervals of FusionAuth's reports (https://fusionauth.io/docs/apis/reports): hours, days and months since the
// epoch, of the wall-clock time in the report timezone.
const HOUR = 3_600_000;

t.test('in UTC: hours, days and calendar months since 1970', async (t) => {
  t.equal(intervalOf(0, 'hour', 'UTC'), 0);
  t.equal(intervalOf(Date.UTC(2026, 3, 1, 23, 59), 'day', 'UTC'), 20544);
  t.equal(intervalOf(Date.UTC(2026, 3, 2), 'day', 'UTC'), 20545);
  t.equal(intervalOf(Date.UTC(2026, 3, 30, 23), 'month', 'UTC'), 56 * 12 + 3);
  t.equal(intervalOf(Date.UTC(1969, 11, 31, 23), 'day', 'UTC'), -1, 'before the epoch: negative, rounded down');
  t.equal(intervalOf(Date.UTC(1969, 11, 31, 23), 'month', 'UTC'), -1);
});

t.test('a zone shifts the wall clock by its offset at that instant, daylight saving included', async (t) => {
  // 2026-03-08 is the day Denver moves from UTC-7 to UTC-6.
  t.equal(intervalOf(Date.UTC(2026, 2, 8, 8, 59), 'hour', 'America/Denver'), intervalOf(Date.UTC(2026, 2, 8, 1, 59), 'hour', 'UTC'));
  t.equal(
    intervalOf(Date.UTC(2026, 2, 8, 9), 'hour', 'America/Denver'),
    intervalOf(Date.UTC(2026, 2, 8, 3), 'hour', 'UTC'),
    'the 02:00 hour is skipped',
  );
  t.equal(intervalOf(Date.UTC(2026, 3, 1, 5), 'day', 'America/Denver'), 20543, '05:00Z on 1 April is 31 March in Denver');
  t.equal(intervalOf(Date.UTC(2026, 3, 1, 5), 'month', 'America/Denver'), 56 * 12 + 2);
  t.equal(intervalOf(Date.UTC(2026, 3, 1, 20), 'day', 'Asia/Kathmandu'), 20545, 'UTC+5:45');
});

t.test('intervalFinder answers as intervalOf, across a change of offset', async (t) => {
  for (const zone of ['America/Denver', 'Europe/Paris', 'Asia/Kathmandu', 'Australia/Lord_Howe']) {
    const find = intervalFinder('hour', zone);
    for (let instant = Date.UTC(2026, 2, 7); instant < Date.UTC(2026, 3, 8); instant += HOUR / 4 + 7_000) {
      if (find(instant) !== intervalOf(instant, 'hour', zone)) {
        t.fail(`${zone} at ${new Date(instant).toISOString()}`);
        return;
      }
    }
    t.pass(zone);
  }
});

t.test('known zones', async (t) => {
  t.ok(isKnownTimeZone('America/Denver'));
  t.ok(isKnownTimeZone('UTC'));
  t.notOk(isKnownTimeZone('Mars/Olympus_Mons'));
  t.notOk(isKnownTimeZone(''));
  t.notOk(isKnownTimeZone(7));
});

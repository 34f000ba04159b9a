import t from 'tap';
import { createWaitList } from '../../src/control/wait-list.js';

// The waits behind the control API's long polls (`/_standin/emails?wait=`, `/_standin/events?wait=`). A stopping
// server waits for its open requests, so no wait may outlive close(), not even one that begins after it.
const list = () => createWaitList<string, string>((item, prefix) => item.startsWith(prefix), 60_000);
const STILL_WAITING = 'still waiting';
const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<typeof STILL_WAITING>((resolve) => {
      setTimeout(() => {
        resolve(STILL_WAITING);
      }, ms).unref();
    }),
  ]);

t.test('a matching announcement answers a wait; another does not', async (t) => {
  const waits = list();
  const wait = waits.wait('mail:', 60_000);
  waits.announce('event:1');
  waits.announce('mail:1');
  t.equal(await within(2_000, wait), 'mail:1');
});

t.test('a wait ends with nothing at its timeout', async (t) => {
  t.equal(await within(2_000, list().wait('mail:', 10)), undefined);
});

t.test('close() answers the waits under way with nothing', async (t) => {
  const waits = list();
  const wait = waits.wait('mail:', 60_000);
  waits.close();
  t.equal(await within(2_000, wait), undefined);
});

t.test('a wait that begins after close() answers at once with nothing', async (t) => {
  const waits = list();
  waits.close();
  t.equal(await within(2_000, waits.wait('mail:', 60_000)), undefined);
});

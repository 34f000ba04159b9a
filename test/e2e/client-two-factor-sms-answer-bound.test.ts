import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { assertGeneralError, CLIENT_TENANT_ID, RICHARD_ID, settle, startClientStandin } from '../helpers/fixtures.js';

// What Standin reads of a Generic messenger's answer (docs/messengers.md): the status decides, the body is read to
// 64 KiB at most, and the whole exchange still ends within connectTimeout + readTimeout. A loopback receiver stands in
// for the SMS gateway; the send is the Two Factor API's, through @fusionauth/typescript-client.
const FLOODED = 'f6000000-0000-4000-8000-000000000001';
const SLOW = 'f6000000-0000-4000-8000-000000000002';
const PHONE = '+15555550142';

/**
 * Far more than the bound and than what the kernel's socket buffers hold on loopback (a few MiB): a reader that stops
 * at the bound leaves the receiver unable to write it all.
 */
const FLOOD_BYTES = 64 * 1024 * 1024;

/**
 * How the receiver answers: `flood`, 200 and FLOOD_BYTES as fast as they are read; `trickle`, 200 and then a byte now
 * and then, never ending; `hang`, nothing at all.
 */
let mode: 'flood' | 'trickle' | 'hang' = 'flood';
/** The last answer the receiver gave: closed once the connection is gone; whether it got to write all of its body. */
let last: { closed: Promise<void>; finished: () => boolean } | undefined;

function flood(response: ServerResponse): () => boolean {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  let finished = false;
  const pump = () => {
    while (!response.destroyed && !finished) {
      if (written >= FLOOD_BYTES) {
        finished = true;
        response.end();
        return;
      }
      written += chunk.length;
      if (!response.write(chunk)) return;
    }
  };
  response.on('drain', pump);
  pump();
  return () => finished;
}

function trickle(response: ServerResponse): () => boolean {
  response.write('{');
  const timer = setInterval(() => response.write(' '), 20);
  response.on('close', () => {
    clearInterval(timer);
  });
  return () => false;
}

const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const closed = new Promise<void>((resolve) => response.on('close', resolve));
    if (mode === 'hang') {
      last = { closed, finished: () => false };
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    last = { closed, finished: mode === 'flood' ? flood(response) : trickle(response) };
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;
t.teardown(() => {
  receiver.closeAllConnections();
  receiver.close();
});

const messenger = (name: string, connectTimeout: number, readTimeout: number) => ({
  messenger: { name, type: 'Generic', url: receiverUrl, connectTimeout, readTimeout },
});
const { client, running } = await startClientStandin(t, {
  requests: [
    // Time enough for a reader without a bound to take in the whole flood.
    { url: `/api/messenger/${FLOODED}`, body: messenger('Flooded gateway', 5000, 15000) },
    { url: `/api/messenger/${SLOW}`, body: messenger('Slow gateway', 100, 200) },
  ],
});

async function sendThrough(messengerId: string) {
  await client.patchTenant(CLIENT_TENANT_ID, { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId } } } });
  return settle(client.sendTwoFactorCodeForEnableDisable({ userId: RICHARD_ID, method: 'sms', mobilePhone: PHONE }));
}

t.test('a receiver that answers 200 and far more than 64 KiB: Standin stops reading at the bound, and the status decides', async (t) => {
  mode = 'flood';
  const sent = await sendThrough(FLOODED);
  t.equal(sent.statusCode, 200);
  t.match(running.smsMessages()[0], { messengerId: FLOODED, delivery: 'sent', status: 200 });
  await last!.closed;
  t.notOk(last!.finished(), 'the connection was closed before the receiver could write its whole body');
});

t.test('a receiver that answers 200 and then writes slowly without end is stopped at the deadline; the status decides', async (t) => {
  mode = 'trickle';
  const sent = await sendThrough(SLOW);
  t.equal(sent.statusCode, 200);
  t.match(running.smsMessages()[0], { messengerId: SLOW, delivery: 'sent', status: 200 });
  await last!.closed;
});

t.test('a receiver that does not answer in time: 400 [SendFailed], recorded as failed', async (t) => {
  mode = 'hang';
  const slow = await sendThrough(SLOW);
  assertGeneralError(t, slow, '[SendFailed]');
  t.match(JSON.stringify(slow.exception), /did not answer within 300 ms/);
  t.match(running.smsMessages()[0], { messengerId: SLOW, delivery: 'failed' });
  await last!.closed;
});

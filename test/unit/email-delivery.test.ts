import t from 'tap';
import { createEmailDelivery, describeFailure, type AttemptResult } from '../../src/email/delivery.js';
import { emailConfigurationDefaults } from '../../src/model/email-configuration.js';
import { closedPort, startSmtpCatcher } from '../helpers/smtp-catcher.js';

// SMTP delivery off the request path: retried after each pause, recorded attempt by attempt, given up after the
// last one, and logged without the password (docs/email.md, "Delivery").

const message = {
  from: { address: 'from@example.com', name: 'From' },
  to: { address: 'to@example.com' },
  cc: [],
  bcc: [],
  subject: 'Subject',
  html: '<p>secret-link-body</p>',
  text: 'secret-link-body',
  headers: [],
};

function harness(retryDelaysMs: number[]) {
  const results: AttemptResult[] = [];
  const logged: string[] = [];
  const log = {
    info: (object: object, text: string) => logged.push(`${text} ${JSON.stringify(object)}`),
    warn: (object: object, text: string) => logged.push(`${text} ${JSON.stringify(object)}`),
  };
  const delivery = createEmailDelivery({ log, record: (result) => results.push(result), retryDelaysMs });
  return { results, logged, delivery };
}

t.test('a message that fails is retried, and sent once the server is up', async (t) => {
  const port = await closedPort();
  const { results, logged, delivery } = harness([300, 300]);
  t.teardown(() => delivery.close());
  const smtp = { ...emailConfigurationDefaults(), host: '127.0.0.1', port, username: 'user', password: 'pw-never-logged' };
  delivery.enqueue({ id: 'm1', smtp, message });
  t.same(results, [], 'nothing happens inside the caller');
  while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  t.match(results[0], { id: 'm1', attempt: 1, outcome: 'retrying', error: /ECONN/ });
  const catcher = await startSmtpCatcher({ port, credentials: { user: 'user', pass: 'pw-never-logged' } });
  t.teardown(() => catcher.close());
  const received = await catcher.next(3000);
  t.equal(received.mail.subject, 'Subject');
  await delivery.idle();
  t.match(results.at(-1), { id: 'm1', outcome: 'sent' });
  t.ok(results.at(-1)!.attempt >= 2, 'on a later attempt');
  t.notMatch(logged.join('\n'), /pw-never-logged|secret-link-body/, 'no password, no body in the log');
});

t.test('after the last retry the message is marked failed, and idle() resolves', async (t) => {
  const port = await closedPort();
  const { results, logged, delivery } = harness([20, 20]);
  t.teardown(() => delivery.close());
  delivery.enqueue({ id: 'm2', smtp: { ...emailConfigurationDefaults(), host: '127.0.0.1', port }, message });
  await delivery.idle();
  t.same(
    results.map((result) => [result.attempt, result.outcome]),
    [
      [1, 'retrying'],
      [2, 'retrying'],
      [3, 'failed'],
    ],
  );
  t.match(logged.at(-1), /giving up \(the email stays in the outbox\)/);
});

t.test('close() stops the retries', async (t) => {
  const port = await closedPort();
  const { results, delivery } = harness([60_000]);
  delivery.enqueue({ id: 'm3', smtp: { ...emailConfigurationDefaults(), host: '127.0.0.1', port }, message });
  while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await delivery.close();
  await delivery.idle();
  t.equal(results.length, 1, 'no attempt after close');
});

t.test('describeFailure keeps the reason and cuts out credentials', async (t) => {
  const error = Object.assign(new Error('Invalid login: 535 bad password hunter2 for alice\nmore'), { code: 'EAUTH', responseCode: 535 });
  t.equal(
    describeFailure(error, { username: 'alice', password: 'hunter2' }),
    'EAUTH SMTP 535 Invalid login: 535 bad password [redacted] for [redacted]',
  );
});

import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startCliWithKickstart } from '../helpers/cli.js';
import { closedPort } from '../helpers/smtp-catcher.js';

// The tenant's SMTP server is down: the request that sends still answers at once, the failure is logged
// without the SMTP password or anything from the message body, and the outbox keeps the email (docs/email.md).
const API_KEY = 'smtp-down-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const USER = 'f2000000-0000-4000-8000-000000000001';
const TEMPLATE = 'f3000000-0000-4000-8000-000000000001';
const SMTP_PASSWORD = 'smtp-password-never-logged-7f3a';
const SECRET_CODE = 'emailed-code-never-logged-91b2';

t.test('SMTP down: the request succeeds, the failure is logged without secrets, the outbox keeps the email', async (t) => {
  const port = await closedPort();
  const kickstart = {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: { tenant: { emailConfiguration: { host: '127.0.0.1', port, username: 'mailer', password: SMTP_PASSWORD } } },
      },
      { method: 'POST', url: `/api/user/${USER}`, body: { user: { email: 'jared@example.com', password: 'password1' } } },
      {
        method: 'POST',
        url: `/api/email/template/${TEMPLATE}`,
        body: {
          emailTemplate: {
            name: 'Code',
            defaultSubject: 'Your code',
            defaultHtmlTemplate: '<a href="http://localhost/x/${requestData.code}">go</a>',
            defaultTextTemplate: 'Code: ${requestData.code}',
          },
        },
      },
    ],
  };
  const cli = await startCliWithKickstart(t, kickstart, { logLevel: 'info', folderPrefix: 'standin-smtp-down-' });
  const client = new FusionAuthClient(API_KEY, cli.url);

  const started = Date.now();
  const sent = await client.sendEmail(TEMPLATE, { userIds: [USER], requestData: { code: SECRET_CODE } });
  t.equal(sent.statusCode, 202, 'the send answers 202');
  t.ok(Date.now() - started < 2000, 'without waiting for the SMTP server');

  // The first attempt fails at once (connection refused); wait for its log line.
  const deadline = Date.now() + 10_000;
  while (!/email delivery failed/.test(cli.stdout()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const log = cli.stdout() + cli.stderr();
  t.match(log, /email delivery failed; retrying in 2 s/, 'the failure is logged, with the retry');
  t.match(log, /ECONNECTION|ECONNREFUSED/, 'with the reason');
  t.match(log, /jared@example\.com/, 'and the recipient');
  t.notMatch(log, SMTP_PASSWORD, 'never the SMTP password');
  t.notMatch(log, SECRET_CODE, 'never the body, its links or its codes');

  const outbox = await fetch(`${cli.url}/_standin/emails?to=jared@example.com`, { headers: { authorization: API_KEY } });
  const { emails } = (await outbox.json()) as {
    emails: Array<{ delivery: string; attempts: number; lastError?: string; links: string[]; text: string }>;
  };
  t.equal(emails.length, 1, 'the outbox keeps the email');
  t.match(emails[0], { delivery: 'pending', attempts: 1, lastError: /ECONNECTION|ECONNREFUSED/, links: [`http://localhost/x/${SECRET_CODE}`] });
  t.notMatch(emails[0]!.lastError, SMTP_PASSWORD);
});

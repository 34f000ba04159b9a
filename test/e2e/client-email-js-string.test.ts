import { runInNewContext } from 'node:vm';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertFieldError, settle, startTenantStandin } from '../helpers/fixtures.js';

// FreeMarker's ?js_string and ?json_string in an email template sent through @fusionauth/typescript-client
// (https://freemarker.apache.org/docs/ref_builtins_string.html#ref_builtin_js_string; docs/email.md): the value is
// safe inside a JavaScript or JSON string literal in a <script> block, and a built-in Standin does not know is a
// template error.
const API_KEY = 'client-email-js-string-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const USER = 'e4000000-0000-4000-8000-000000000001';
const TEMPLATE = 'e4000000-0000-4000-8000-0000000000e1';
const TRICKY = `O'Brien "Dr" \\ </script> <!-- ]]> -->\n\ttab\u2028end\u0001`;

t.test('?js_string and ?json_string escape as FreeMarker does, and the result reads back as the value', async (t) => {
  const standin = await startTenantStandin(t, {
    apiKey: API_KEY,
    tenantId: TENANT,
    requests: [{ url: `/api/user/${USER}`, body: { user: { email: 'js@example.com', password: 'password1' } } }],
  });
  const client = new FusionAuthClient(API_KEY, standin.url);
  await client.createEmailTemplate(TEMPLATE, {
    emailTemplate: {
      name: 'Scripted',
      defaultSubject: 'Scripted',
      defaultHtmlTemplate: `<script>var js = '\${requestData.value?js_string}';</script>`,
      defaultTextTemplate: `{"json": "\${requestData.value?json_string}"}`,
    },
  });
  t.equal((await client.sendEmail(TEMPLATE, { userIds: [USER], requestData: { value: TRICKY } })).statusCode, 202);
  const email = await standin.waitForEmail({ to: 'js@example.com', timeoutMs: 5000 });

  const js = /var js = '(.*)';<\/script>$/s.exec(email.html)?.[1];
  t.equal(
    js,
    `O\\'Brien \\"Dr\\" \\\\ <\\/script> \\x3C!-- ]]\\> --\\>\\n\\ttab\\u2028end\\x01`,
    'quotes and backslash escaped, nothing that ends the <script> or a comment, control characters as escapes',
  );
  t.equal(runInNewContext(`'${js}'`), TRICKY, 'a JavaScript engine reads the value back');
  const json = email.text.trim();
  t.equal(
    json,
    `{"json": "O'Brien \\"Dr\\" \\\\ <\\/script> \\u003C!-- ]]\\u003E --\\u003E\\n\\ttab\\u2028end\\u0001"}`,
    'JSON keeps the apostrophe',
  );
  t.same(JSON.parse(json), { json: TRICKY }, 'a JSON parser reads the value back');
});

t.test('a built-in Standin does not know is refused as a template error', async (t) => {
  const standin = await startTenantStandin(t, { apiKey: API_KEY, tenantId: TENANT, requests: [] });
  const client = new FusionAuthClient(API_KEY, standin.url);
  const answer = await settle(
    client.createEmailTemplate(TEMPLATE, {
      emailTemplate: { name: 'Typo', defaultSubject: 'Typo', defaultHtmlTemplate: '${user.email?js_strin}', defaultTextTemplate: 'plain' },
    }),
  );
  assertFieldError(t, answer, 'emailTemplate.defaultHtmlTemplate', 'invalidTemplate');
  t.match(answer.exception!.fieldErrors!['emailTemplate.defaultHtmlTemplate']![0]!.message, '?js_strin');
});

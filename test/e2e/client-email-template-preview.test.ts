import { FusionAuthClient, type EmailTemplate } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, CLIENT_TENANT_ID, settle, startClientStandin } from '../helpers/fixtures.js';

// FusionAuth's Preview an Email Template (https://fusionauth.io/docs/apis/emails/preview-an-email-template) through
// @fusionauth/typescript-client: the template of the request is rendered with sample data and nothing is stored;
// what does not render is answered in the response's errors; a key bound to a tenant may not call it.
const TENANT_KEY = 'client-preview-tenant-bound-key-0123456789';

t.test('Preview an Email Template through the FusionAuth client', async (t) => {
  const { url, client } = await startClientStandin(t, { apiKeys: [{ key: TENANT_KEY, tenantId: CLIENT_TENANT_ID }] });
  const preview = (emailTemplate: EmailTemplate, locale?: string) =>
    settle(client.retrieveEmailTemplatePreview({ emailTemplate, ...(locale ? { locale } : {}) }));

  t.test('a whole template renders with the variables a real email has', async (t) => {
    const answer = await preview({
      fromEmail: 'support@example.com',
      defaultFromName: 'Support of ${tenant.name}',
      defaultSubject: 'Reset your password, ${user.firstName}',
      defaultHtmlTemplate: '<p>${application.name}: <a href="${baseUrl}/password/change/${changePasswordId}">reset</a></p>',
      defaultTextTemplate: 'Your code is ${code}. ${user.email}',
    });
    t.equal(answer.statusCode, 200);
    const { email, errors } = answer.response;
    t.same(errors?.fieldErrors, {}, 'no errors');
    t.match(email, {
      from: { address: 'support@example.com', display: /^Support of .+/ },
      subject: /^Reset your password, \S+/,
      html: new RegExp(`^<p>[^:]+: <a href="${url}/password/change/[^"]+">reset</a></p>$`),
      text: /^Your code is \S+\. \S+@\S+$/,
    });
    t.notMatch(email!.text, /\$\{/, 'every variable was filled in');
    t.same((await client.retrieveEmailTemplates()).response.emailTemplates, [], 'nothing is stored');
  });

  t.test('locale picks the localized parts; without it the defaults are used', async (t) => {
    const template = {
      defaultSubject: 'Hello',
      localizedSubjects: { fr: 'Bonjour', de: 'Hallo' },
      defaultTextTemplate: 'Welcome',
      localizedTextTemplates: { fr: 'Bienvenue' },
    };
    t.match((await preview(template, 'fr')).response.email, { subject: 'Bonjour', text: 'Bienvenue' });
    t.match((await preview(template, 'fr_CA')).response.email, { subject: 'Bonjour', text: 'Bienvenue' }, 'fr_CA falls back to fr');
    t.match((await preview(template, 'de')).response.email, { subject: 'Hallo', text: 'Welcome' }, 'a part with no such locale keeps its default');
    t.match((await preview(template)).response.email, { subject: 'Hello', text: 'Welcome' });
  });

  t.test('a partial template answers only the parts it gave', async (t) => {
    const { email } = (await preview({ defaultSubject: 'Only a subject' })).response;
    t.same(email, { subject: 'Only a subject' });
  });

  t.test("what does not render is in the response's errors, not a failed request", async (t) => {
    const answer = await preview({
      defaultSubject: 'Fine',
      defaultHtmlTemplate: '<p>[#if user.firstName]unclosed</p>',
      defaultTextTemplate: 'Hi ${no.such.variable}',
      localizedTextTemplates: { fr: 'Salut ${nothing}' },
    });
    t.equal(answer.statusCode, 200);
    t.equal(answer.response.email?.subject, 'Fine', 'the parts that render are answered');
    t.notOk(answer.response.email?.html);
    const fieldErrors = answer.response.errors!.fieldErrors!;
    t.equal(fieldErrors['emailTemplate.defaultHtmlTemplate']![0]!.code, '[invalidTemplate]emailTemplate.defaultHtmlTemplate');
    t.equal(fieldErrors['emailTemplate.defaultTextTemplate']![0]!.code, '[invalidTemplate]emailTemplate.defaultTextTemplate');
    t.match(fieldErrors['emailTemplate.defaultTextTemplate']![0]!.message, /line 1/);
    const french = await preview({ defaultTextTemplate: 'Hi', localizedTextTemplates: { fr: 'Salut ${nothing}' } }, 'fr');
    t.ok(french.response.errors!.fieldErrors!['emailTemplate.localizedTextTemplates.fr'], 'the localized part that failed is named');
  });

  t.test('a malformed request is a 400', async (t) => {
    assertFieldError(t, await settle(client.retrieveEmailTemplatePreview({})), 'emailTemplate', 'blank');
    assertFieldError(t, await preview({ defaultSubject: 42 as never }), 'emailTemplate.defaultSubject', 'invalid');
    assertFieldError(t, await preview({ localizedSubjects: { fr: 1 } as never }), 'emailTemplate.localizedSubjects', 'invalid');
    const badJson = await fetch(`${url}/api/email/template/preview`, {
      method: 'POST',
      headers: { authorization: (client as unknown as { apiKey: string }).apiKey, 'content-type': 'application/json' },
      body: '{"emailTemplate": ',
    });
    t.equal(badJson.status, 400);
  });

  t.test('a key bound to a tenant may not preview (a global API key is needed)', async (t) => {
    const bound = new FusionAuthClient(TENANT_KEY, url);
    assertEmpty(t, await settle(bound.retrieveEmailTemplatePreview({ emailTemplate: { defaultSubject: 'Hi' } })), 401);
  });
});

import { FusionAuthClient, MessageType, type MessageTemplate, type PreviewMessageTemplateRequest } from '@fusionauth/typescript-client';
import t from 'tap';
import { assertEmpty, assertFieldError, assertGeneralError, settle, startTwoKeyStandin } from '../helpers/fixtures.js';

// FusionAuth's Preview a Message Template (https://fusionauth.io/docs/apis/message-templates) through the client's
// retrieveMessageTemplatePreview: the unsaved template rendered with sample data, the locale's version when there is
// one, rendering problems in the answer's `errors` (docs/messengers.md).
const API_KEY = 'message-preview-api-key-0123456789abcdefg';
const BOUND_KEY = 'message-preview-bound-key-0123456789abcde';
const TENANT = 'a7200000-0000-4000-8000-000000000001';

const standin = await startTwoKeyStandin(t, { globalKey: API_KEY, boundKey: BOUND_KEY, tenantId: TENANT });
const client = new FusionAuthClient(API_KEY, standin.url);
const preview = (request: PreviewMessageTemplateRequest) => client.retrieveMessageTemplatePreview(request);
// The client types a message template without its type's members, and `previewMessage` as the string the OpenAPI
// description says; FusionAuth's docs (1.65) answer an object, as Standin does.
const template = (type: MessageType, members: Record<string, unknown>) => ({ type, ...members }) as MessageTemplate;
interface PreviewMessage {
  type?: string;
  textMessage?: string;
  message?: string;
  locale?: string;
}
const previewMessageOf = (answer: { response: { previewMessage?: unknown } }) => (answer.response.previewMessage ?? {}) as PreviewMessage;

t.test('an SMS template renders with sample data, in previewMessage and in the older message', async (t) => {
  const answer = await preview({
    messageTemplate: template(MessageType.SMS, { defaultTemplate: 'Hi ${user.firstName}, your code is ${code}.' }),
  });
  t.equal(answer.statusCode, 200);
  const text = previewMessageOf(answer).textMessage as string;
  t.match(text, /^Hi \S+, your code is \S+\.$/, 'the variables are filled');
  t.notMatch(text, /\$\{/, 'no placeholder is left');
  t.same(answer.response.message, { type: 'SMS', textMessage: text });
  t.same(answer.response.errors, { fieldErrors: {}, generalErrors: [] });
});

t.test('the locale picks its localized version, else the default', async (t) => {
  const messageTemplate = template(MessageType.SMS, { defaultTemplate: 'Code: ${code}', localizedTemplates: { de: 'Ihr Code: ${code}' } });
  const german = await preview({ messageTemplate, locale: 'de' });
  t.match(previewMessageOf(german), { type: 'SMS', locale: 'de', textMessage: /^Ihr Code: / });
  const french = await preview({ messageTemplate, locale: 'fr' });
  t.match(previewMessageOf(french).textMessage, /^Code: /, 'no French version: the default');
});

t.test('a voice template is answered as FusionAuth 1.65 does, in previewMessage.message', async (t) => {
  const answer = await preview({ messageTemplate: template(MessageType.Voice, { defaultTemplate: 'Your code is ${code}' }) });
  t.match(previewMessageOf(answer), { type: 'Voice', message: /^Your code is \S+$/ });
  t.equal(previewMessageOf(answer).textMessage, undefined);
});

t.test('a template that does not render is answered 200 with the error, naming the part', async (t) => {
  const broken = await preview({ messageTemplate: template(MessageType.SMS, { defaultTemplate: 'Code: ${code' }) });
  t.equal(broken.statusCode, 200);
  t.match(broken.response.errors?.fieldErrors?.['messageTemplate.defaultTemplate'], [{ code: '[invalidTemplate]messageTemplate.defaultTemplate' }]);
  t.equal(previewMessageOf(broken).textMessage, undefined);
  const localized = await preview({
    messageTemplate: template(MessageType.SMS, { defaultTemplate: 'fine', localizedTemplates: { de: '<#if>' } }),
    locale: 'de',
  });
  t.ok(localized.response.errors?.fieldErrors?.['messageTemplate.localizedTemplates.de'], 'the localized version is named');
});

t.test('a request it cannot read is 400; a tenant-bound or wrong key an empty 401', async (t) => {
  assertFieldError(t, await settle(preview({})), 'messageTemplate', 'blank');
  assertGeneralError(t, await settle(preview({ messageTemplate: { defaultTemplate: 'x' } as MessageTemplate })), '[invalidJSON]');
  assertFieldError(
    t,
    await settle(preview({ messageTemplate: template(MessageType.SMS, { defaultTemplate: 7 }) })),
    'messageTemplate.defaultTemplate',
    'invalid',
  );
  assertFieldError(
    t,
    await settle(preview({ messageTemplate: template(MessageType.SMS, { defaultTemplate: 'x' }), locale: 'x'.repeat(65) })),
    'locale',
    'invalid',
  );
  const request = { messageTemplate: template(MessageType.SMS, { defaultTemplate: 'x' }) };
  assertEmpty(t, await settle(new FusionAuthClient(BOUND_KEY, standin.url).retrieveMessageTemplatePreview(request)), 401);
  assertEmpty(t, await settle(new FusionAuthClient('not-the-api-key', standin.url).retrieveMessageTemplatePreview(request)), 401);
});

import t from 'tap';
import { TemplateError, parseTemplate, render } from '../../src/email/freemarker/index.js';
import { DEFAULT_TEMPLATES } from '../../src/email/default-templates.js';

// The FreeMarker subset FusionAuth's email templates use, over templates written in their style (our own
// text): https://fusionauth.io/docs/customize/email-and-messages/email-templates-replacement-variables

const user = { id: 'u1', email: 'monica@example.com', firstName: 'Monica', tenantId: 't1', data: { plan: 'gold', count: 1234567 } };

function renderError(source: string, model: Record<string, unknown> = {}): TemplateError {
  try {
    render(source, model);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('rendered without an error');
}

t.test('interpolation: dotted paths, [] access, and numbers printed as FreeMarker does', async (t) => {
  t.equal(render('${user.firstName} <${user.email}>', { user }), 'Monica <monica@example.com>');
  t.equal(render('${user["data"].plan}', { user }), 'gold');
  t.equal(render('${user.data.count} ${user.data.count?c} ${1.5}', { user }), '1,234,567 1234567 1.5');
  t.equal(render('${"a" + 1 + user.firstName}', { user }), 'a1Monica', '+ joins text');
  t.equal(render('${3 * 2 - 1}', {}), '5');
});

t.test('missing values: an error unless tested (??) or defaulted (!)', async (t) => {
  t.equal(render("${user.lastName!'none'}", { user }), 'none');
  t.equal(render('${user.lastName!}', { user }), '', 'a bare ! defaults to empty');
  t.equal(render("${(application.oauthConfiguration.clientId)!''}", {}), '', 'a parenthesized path defaults whole');
  t.equal(render('${user.middle!user.firstName}', { user }), 'Monica', 'the default may be another value');
  t.equal(render('[#if user.firstName??]yes[/#if][#if user.lastName??]no[/#if]', { user }), 'yes');
  t.equal(render('[#if (a.b.c)??]x[#else]absent[/#if]', {}), 'absent');
  t.equal(render('${nothing!"was null"}', { nothing: null }), 'was null', 'JSON null is missing, as Java null is');
  const missing = renderError('Hello\n${user.lastName}', { user });
  t.equal(missing.kind, 'render');
  t.equal(missing.line, 2);
  t.match(missing.message, /user\.lastName is missing.*\(line 2, column \d+\)/);
  t.match(renderError('${a.b}').message, /a is missing, so a\.b cannot be read/);
});

t.test('[#if] / [#elseif] / [#else] with comparisons and logic', async (t) => {
  const source = '[#if n > 10]big[#elseif n == 10 || n?c == "9"]ten-ish[#else]small[/#if]';
  t.equal(render(source, { n: 11 }), 'big');
  t.equal(render(source, { n: 10 }), 'ten-ish');
  t.equal(render(source, { n: 9 }), 'ten-ish');
  t.equal(render(source, { n: 1 }), 'small');
  t.equal(render('[#if a && !b]on[/#if]', { a: true, b: false }), 'on');
  t.equal(render('[#if n gt 0 && n lte 5]in[/#if][#if n gte 4 or n lt 0]out[/#if]', { n: 3 }), 'in', 'FreeMarker word operators');
  t.equal(render('[#if key != "tenantId" && key != "client_id"]keep[/#if]', { key: 'redirect_uri' }), 'keep');
  t.match(renderError('[#if name]x[/#if]', { name: 'a string' }).message, /name is not a boolean; a condition must be true or false/);
});

t.test('[#list] over sequences and hashes, with [#else] for an empty one', async (t) => {
  t.equal(render('[#list items as item]${item};[/#list]', { items: ['a', 'b'] }), 'a;b;');
  t.equal(render('[#list state!{} as key, value]${key}=${value}&[/#list]', { state: { x: '1', y: '2' } }), 'x=1&y=2&');
  t.equal(render('[#list state!{} as key, value]${key}[/#list]', {}), '', 'a missing hash defaulted to {} lists nothing');
  t.equal(render('[#list items as item]${item}[#else]none[/#list]', { items: [] }), 'none');
  t.equal(render('[#list items as item]${item}[/#list]${item!"gone"}', { items: ['a'] }), 'agone', 'the loop variable lives in the loop');
});

t.test('[#assign] builds a link the way FusionAuth templates do, with ?url on every appended value', async (t) => {
  const source = [
    '[#setting url_escaping_charset="UTF-8"]',
    '[#assign url = "http://localhost:9011/password/change/${changePasswordId}?client_id=${(application.oauthConfiguration.clientId)!\'\'}&tenantId=${user.tenantId}" /]',
    '[#list state!{} as key, value][#if key != "tenantId" && key != "client_id" && value??][#assign url = url + "&" + key?url + "=" + value?url/][/#if][/#list]',
    '<a href="${url}">${url}</a>',
  ].join('\n');
  const out = render(source, {
    user,
    changePasswordId: 'cp1',
    state: { redirect_uri: 'https://app.example/cb?x=1 2', tenantId: 'ignored', empty: null },
  });
  const link = 'http://localhost:9011/password/change/cp1?client_id=&tenantId=t1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%202';
  t.equal(out, `<a href="${link}">${link}</a>`, 'the tag-only lines leave no blank lines');
});

t.test('built-ins: ?url ?html ?c ?has_content ?string and friends', async (t) => {
  t.equal(render('${v?url}', { v: 'a b&c/é' }), 'a%20b%26c%2F%C3%A9', '?url escapes in UTF-8');
  t.equal(render('${v?html}', { v: `<a href="x">'&'</a>` }), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  t.equal(render('${v}', { v: '<b>' }), '<b>', 'no escaping unless asked, as in FreeMarker without an output format');
  t.equal(render('${t?c} ${f?c} ${t?string("yes", "no")} ${f?string("yes", "no")}', { t: true, f: false }), 'true false yes no');
  t.equal(
    render('[#if a?has_content]A[/#if][#if b?has_content]B[/#if][#if c?has_content]C[/#if][#if d?has_content]D[/#if]', {
      a: 'x',
      b: '',
      c: [],
      d: undefined,
    }),
    'A',
  );
  t.equal(
    render('${s?upper_case} ${s?lower_case} ${s?cap_first} ${s?length} ${xs?size} ${" t "?trim}', { s: 'hello', xs: [1, 2] }),
    'HELLO hello Hello 5 2 t',
  );
  t.match(renderError('${flag}', { flag: true }).message, /is a boolean: print it with \?c/);
  t.throws(() => parseTemplate('${x?eval}'), /Standin does not support the built-in \?eval/);
});

t.test('comments, [#setting] and white-space stripping', async (t) => {
  t.equal(render('[#-- a note\nover lines --]\nA\n  [#if true]\nB\n  [/#if]\nC\n', {}), 'A\nB\nC\n');
  t.equal(render('x [#if true]y[/#if] z\n', {}), 'x y z\n', 'tags inside text keep the line');
  t.equal(render('[#ftl]\n[#setting locale="en_US"]\nok', {}), 'ok');
});

t.test('parse errors name the line, for what is broken and for what Standin does not support', async (t) => {
  const cases: Array<[string, RegExp, number]> = [
    ['one\ntwo [#if x]\nthree', /This \[#if\] is not closed/, 2],
    ['a\n[/#if]', /\[\/#if\] closes nothing/, 2],
    ['a\n\n${user.name', /interpolation \$\{ is not closed/, 3],
    ['[#macro greet][/#macro]', /does not support the directive \[#macro\]/, 1],
    ['\n<#if x>y</#if>', /Angle-bracket tags \(<#if>\) are not supported/, 2],
    ['${a +}', /expression is missing/, 1],
    ['[#list xs]x[/#list]', /Expected "as"/, 1],
    ['[#-- never closed', /comment \[#-- is not closed/, 1],
    ['${"unterminated}', /(string literal|interpolation).*not closed/, 1],
  ];
  for (const [source, message, line] of cases) {
    try {
      parseTemplate(source);
      t.fail(`parsed: ${JSON.stringify(source)}`);
    } catch (error) {
      t.ok(error instanceof TemplateError, `a TemplateError for ${JSON.stringify(source)}`);
      t.match((error as TemplateError).message, message);
      t.equal((error as TemplateError).line, line, `on line ${line}`);
      t.equal((error as TemplateError).kind, 'parse');
    }
  }
});

t.test('nothing in a template runs as JavaScript', async (t) => {
  t.equal(render('${"constructor"}', {}), 'constructor');
  t.match(renderError('${user.constructor}', { user: {} }).message, /user\.constructor is missing/, 'no prototype members');
  t.match(renderError('${x.__proto__}', { x: {} }).message, /missing/);
});

t.test("Standin's default templates parse and render for each email, with links on the base URL", async (t) => {
  const application = { id: 'a1', name: 'Store', oauthConfiguration: { clientId: 'a1' } };
  const variables = { verificationId: 'VID', changePasswordId: 'CPID', code: 'CODE', state: { redirect_uri: 'https://store.example/cb' } };
  const expected: Record<string, RegExp> = {
    emailVerification: /https:\/\/id\.example\/email\/verify\/VID\?client_id=a1&tenantId=t1&postMethod=true/,
    forgotPassword: /https:\/\/id\.example\/password\/change\/CPID\?client_id=a1&tenantId=t1&redirect_uri=https%3A%2F%2Fstore\.example%2Fcb/,
    setPassword: /https:\/\/id\.example\/password\/change\/CPID\?client_id=a1&tenantId=t1/,
    passwordless: /https:\/\/id\.example\/oauth2\/passwordless\/CODE\?tenantId=t1&redirect_uri=/,
    registrationVerification: /https:\/\/id\.example\/registration\/verify\/VID\?client_id=a1/,
    twoFactorCode: /Your verification code is CODE\./,
  };
  for (const [kind, template] of Object.entries(DEFAULT_TEMPLATES)) {
    const model = { user, application, tenant: { id: 't1' }, baseUrl: 'https://id.example', ...variables };
    const text = render(template.text, model);
    const html = render(template.html, model);
    t.match(text, expected[kind]!, `${kind}: text link`);
    t.match(html, /^<p>Hello Monica,<\/p>/m, `${kind}: html greeting`);
    t.notMatch(text + html, /\[#|\$\{/, `${kind}: no FreeMarker left`);
    t.ok(render(template.subject, model).length > 0, `${kind}: subject`);
  }
  const code = render(DEFAULT_TEMPLATES.emailVerification!.text, {
    user: { ...user, firstName: undefined },
    tenant: { id: 't1' },
    baseUrl: 'http://x',
    verificationId: 'V',
    verificationOneTimeCode: 'ABC123',
  });
  t.match(
    code,
    /^Hello there,\n\nEnter this code to confirm that this address is yours: ABC123\n/,
    'the form-field strategy shows the code instead of the link',
  );
});

import { join } from 'node:path';
import { FusionAuthClient, type Templates, type Theme, type ThemeType } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { KickstartError } from '../../src/kickstart/types.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Themes API (https://fusionauth.io/docs/apis/themes/advanced-themes) through
// @fusionauth/typescript-client against a listening Standin, and the themeId references of tenants and applications.
const API_KEY = 'client-themes-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7000000-0000-4000-8000-000000000001';
const BUILT_IN = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';
const KNOWN = 'c7000000-0000-4000-8000-00000000000a';
const UNKNOWN = 'c7999999-0000-4000-8000-000000000009';
const NO_ID = undefined as unknown as string;
const AUTHORIZE = '[#ftl/]\n<html><body>Log in</body></html>';
const CSS = 'body { color: #123456; }';

const kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }],
  requests: [{ url: `/api/application/${APP}`, body: { application: { name: 'Themed' } } }],
};

t.test('the Themes API through the FusionAuth client', async (t) => {
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);

  const withId = await client.createTheme(KNOWN, {
    theme: { name: 'Brand', defaultMessages: 'login=Sign in', stylesheet: CSS, templates: { oauth2Authorize: AUTHORIZE, helpers: '[#ftl/]' } },
  });
  const random = await client.createTheme(NO_ID, { theme: { name: 'Another' } });

  t.test('createTheme answers the theme, with or without an id', async (t) => {
    t.equal(withId.statusCode, 200);
    t.match(withId.response.theme, {
      id: KNOWN,
      name: 'Brand',
      type: 'advanced',
      defaultMessages: 'login=Sign in',
      stylesheet: CSS,
      templates: { oauth2Authorize: AUTHORIZE, helpers: '[#ftl/]' },
      data: {},
    });
    t.type(withId.response.theme!.insertInstant, 'number');
    t.match(random.response.theme!.id, /^[0-9a-f-]{36}$/);
    t.same(random.response.theme!.templates, {}, 'a theme may be made without templates');
  });

  t.test('retrieveTheme and retrieveThemes; the built-in FusionAuth theme is listed', async (t) => {
    t.same((await client.retrieveTheme(KNOWN)).response.theme, withId.response.theme);
    const builtIn = (await client.retrieveTheme(BUILT_IN)).response.theme!;
    t.match(builtIn, { id: BUILT_IN, name: 'FusionAuth', type: 'advanced' });
    const names = (await client.retrieveThemes()).response.themes!.map((theme: Theme) => theme.name);
    t.same(names, ['Another', 'Brand', 'FusionAuth'], 'every theme, by name');
    assertEmpty(t, await settle(client.retrieveTheme(UNKNOWN)), 404);
  });

  t.test('bad themes are refused with FusionAuth’s codes, and nothing is written', async (t) => {
    assertFieldError(t, await settle(client.createTheme(NO_ID, { theme: { name: ' ' } })), 'theme.name', 'blank');
    assertFieldError(t, await settle(client.createTheme(NO_ID, { theme: { name: 'Brand' } })), 'theme.name', 'duplicate');
    assertFieldError(t, await settle(client.createTheme(NO_ID, { theme: { name: 'FusionAuth' } })), 'theme.name', 'duplicate');
    assertFieldError(t, await settle(client.createTheme(KNOWN, { theme: { name: 'Again' } })), 'themeId', 'duplicate');
    assertFieldError(t, await settle(client.createTheme(BUILT_IN, { theme: { name: 'Again' } })), 'themeId', 'duplicate');
    const unknownTemplate = { oauth2Authorize: AUTHORIZE, oauth2Nope: 'x' } as Templates;
    assertGeneralError(t, await settle(client.createTheme(NO_ID, { theme: { name: 'Nope', templates: unknownTemplate } })), '[invalidJSON]');
    assertGeneralError(t, await settle(client.createTheme(NO_ID, { theme: { name: 'Nope', type: 'fancy' as ThemeType } })), '[invalidJSON]');
    assertFieldError(
      t,
      await settle(client.createTheme(NO_ID, { theme: { name: 'Nope', type: 'simple' as ThemeType } })),
      'theme.variables',
      'blank',
    );
    const badTemplate = { oauth2Authorize: 42 } as unknown as Templates;
    assertFieldError(
      t,
      await settle(client.createTheme(NO_ID, { theme: { name: 'Nope', templates: badTemplate } })),
      'theme.templates.oauth2Authorize',
      'invalid',
    );
    assertFieldError(t, await settle(client.createTheme(NO_ID, {})), 'theme', 'blank');
    t.equal((await client.retrieveThemes()).response.themes!.length, 3, 'no theme was written');
  });

  t.test('createTheme with sourceThemeId copies the source’s messages, templates and stylesheet under the new name', async (t) => {
    const copy = (
      await client.createTheme(NO_ID, { sourceThemeId: KNOWN, theme: { name: 'Brand copy', stylesheet: 'ignored', data: { ignored: true } } })
    ).response.theme!;
    t.match(copy, { name: 'Brand copy', defaultMessages: 'login=Sign in', stylesheet: CSS, templates: withId.response.theme!.templates, data: {} });
    t.not(copy.id, KNOWN);
    const ofBuiltIn = (await client.createTheme(NO_ID, { sourceThemeId: BUILT_IN, theme: { name: 'From FusionAuth' } })).response.theme!;
    t.match(ofBuiltIn, { name: 'From FusionAuth', type: 'advanced' });
    assertFieldError(t, await settle(client.createTheme(NO_ID, { sourceThemeId: UNKNOWN, theme: { name: 'Orphan' } })), 'sourceThemeId', 'invalid');
    assertFieldError(t, await settle(client.createTheme(NO_ID, { sourceThemeId: KNOWN, theme: {} })), 'theme.name', 'blank');
    for (const theme of [copy, ofBuiltIn]) await client.deleteTheme(theme.id!);
  });

  t.test('patchTheme merges, updateTheme replaces', async (t) => {
    const patched = (await client.patchTheme(KNOWN, { theme: { stylesheet: 'p { margin: 0 }' } })).response.theme!;
    t.equal(patched.stylesheet, 'p { margin: 0 }');
    t.same(patched.templates, withId.response.theme!.templates, 'a PATCH keeps the templates it does not name');
    t.equal(patched.insertInstant, withId.response.theme!.insertInstant);
    const replaced = (await client.updateTheme(KNOWN, { theme: { name: 'Brand', templates: { index: '[#ftl/]' } } })).response.theme!;
    t.same(replaced.templates, { index: '[#ftl/]' }, 'a PUT replaces the templates');
    t.equal(replaced.stylesheet, undefined, 'and drops the stylesheet it does not send');
    t.same((await client.retrieveTheme(KNOWN)).response.theme, replaced);
    assertFieldError(t, await settle(client.patchTheme(KNOWN, { theme: { name: 'Another' } })), 'theme.name', 'duplicate');
    assertEmpty(t, await settle(client.patchTheme(UNKNOWN, { theme: { name: 'x' } })), 404);
  });

  t.test('the built-in FusionAuth theme is read-only', async (t) => {
    assertFieldError(t, await settle(client.updateTheme(BUILT_IN, { theme: { name: 'Mine now' } })), 'themeId', 'invalid');
    assertFieldError(t, await settle(client.patchTheme(BUILT_IN, { theme: { stylesheet: CSS } })), 'themeId', 'invalid');
    assertFieldError(t, await settle(client.deleteTheme(BUILT_IN)), 'themeId', 'invalid');
    t.match((await client.retrieveTheme(BUILT_IN)).response.theme, { name: 'FusionAuth', stylesheet: '' }, 'unchanged');
  });

  t.test('searchThemes by name, with paging and order, the built-in theme among them', async (t) => {
    const byName = (await client.searchThemes({ search: { name: 'fusion' } })).response;
    t.same(
      byName.themes!.map((theme: Theme) => theme.id),
      [BUILT_IN],
    );
    t.equal(byName.total, 1);
    const page = (await client.searchThemes({ search: { orderBy: 'name DESC', numberOfResults: 2, startRow: 0 } })).response;
    t.same(
      page.themes!.map((theme: Theme) => theme.name),
      ['FusionAuth', 'Brand'],
    );
    t.equal(page.total, 3);
    t.same(
      (await client.searchThemes({ search: { name: 'B*d' } })).response.themes!.map((theme: Theme) => theme.name),
      ['Brand'],
    );
    assertFieldError(t, await settle(client.searchThemes({ search: { orderBy: 'color' } })), 'search.orderBy', 'invalid');
  });

  t.test('a tenant’s and an application’s themeId must name a theme; a theme in use cannot be deleted', async (t) => {
    t.equal(
      (await client.retrieveTenant(TENANT)).response.tenant!.themeId,
      BUILT_IN,
      'a tenant is styled by the built-in theme until it names another',
    );
    assertFieldError(t, await settle(client.patchTenant(TENANT, { tenant: { themeId: UNKNOWN } })), 'tenant.themeId', 'invalid');
    assertFieldError(t, await settle(client.createTenant(NO_ID, { tenant: { name: 'Unthemed', themeId: UNKNOWN } })), 'tenant.themeId', 'invalid');
    assertFieldError(t, await settle(client.patchApplication(APP, { application: { themeId: UNKNOWN } })), 'application.themeId', 'invalid');
    t.equal((await client.retrieveTenant(TENANT)).response.tenant!.themeId, BUILT_IN, 'nothing was written');

    const themed = (await client.patchTenant(TENANT, { tenant: { themeId: KNOWN.toUpperCase() } })).response.tenant!;
    t.equal(themed.themeId, KNOWN, 'an id in any case, answered in lower case');
    const another = random.response.theme!.id!;
    t.equal((await client.patchApplication(APP, { application: { themeId: another } })).response.application!.themeId, another);
    assertFieldError(t, await settle(client.deleteTheme(KNOWN)), 'themeId', 'inUse');
    assertFieldError(t, await settle(client.deleteTheme(another)), 'themeId', 'inUse');

    await client.patchTenant(TENANT, { tenant: { themeId: BUILT_IN } });
    await client.updateApplication(APP, { application: { name: 'Themed' } });
    t.equal((await client.deleteTheme(another)).statusCode, 200, 'deleted once nothing names it');
    assertEmpty(t, await settle(client.retrieveTheme(another)), 404);
  });
});

t.test('a tenant-bound API key may not call the Themes API', async (t) => {
  const bound = 'client-themes-bound-key-0123456789abcdef';
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: { ...kickstart, apiKeys: [...kickstart.apiKeys, { key: bound, tenantId: TENANT }] },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(bound, standin.url);
  assertEmpty(t, await settle(client.retrieveThemes()), 401);
  assertEmpty(t, await settle(client.createTheme(NO_ID, { theme: { name: 'Bound' } })), 401);
});

t.test('a kickstart’s theme requests are replayed: the theme is made, patched and named by the tenant', async (t) => {
  const themeId = 'c7000000-0000-4000-8000-0000000000bb';
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      ...kickstart,
      requests: [
        { method: 'POST', url: `/api/theme/${themeId}`, body: { theme: { name: 'Kickstarted', templates: { oauth2Authorize: AUTHORIZE } } } },
        { method: 'PATCH', url: `/api/theme/${themeId}`, body: { theme: { stylesheet: CSS } } },
        { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { themeId } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  t.same(standin.app.seedReport.ignored, [], 'nothing was ignored');
  const client = new FusionAuthClient(API_KEY, standin.url);
  t.match((await client.retrieveTheme(themeId)).response.theme, { name: 'Kickstarted', stylesheet: CSS, templates: { oauth2Authorize: AUTHORIZE } });
  t.equal((await client.retrieveTenant(TENANT)).response.tenant!.themeId, themeId);

  // What a test adds after the kickstart goes with a reset; the kickstart's theme stays.
  await client.createTheme(NO_ID, { theme: { name: 'Added later' } });
  standin.reset();
  t.same(
    (await client.retrieveThemes()).response.themes!.map((theme: Theme) => theme.name),
    ['FusionAuth', 'Kickstarted'],
  );
});

t.test('a kickstart whose tenant names a theme that does not exist fails start-up', async (t) => {
  const failing = startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: { ...kickstart, requests: [{ method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { themeId: UNKNOWN } } }] },
  });
  const error = await failing.then(
    async (standin) => {
      await standin.close();
      return undefined;
    },
    (reason: unknown) => reason,
  );
  t.type(error, KickstartError);
  t.match((error as Error).message, /\[invalid\]tenant\.themeId/);
});

t.test('themes survive a restart of a file-backed Standin', async (t) => {
  const dir = temporaryFolder(t, 'standin-themes-');
  const options = { db: join(dir, 'standin.db'), passwordHashing: 'fast' as const, logLevel: 'silent' as const, kickstart };
  const first = await startStandin(options);
  const made = (await new FusionAuthClient(API_KEY, first.url).createTheme(KNOWN, { theme: { name: 'Lasting', stylesheet: CSS } })).response.theme;
  await new FusionAuthClient(API_KEY, first.url).patchTenant(TENANT, { tenant: { themeId: KNOWN } });
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  const client = new FusionAuthClient(API_KEY, second.url);
  t.same((await client.retrieveTheme(KNOWN)).response.theme, made, 'the theme is as it was');
  t.equal((await client.retrieveTenant(TENANT)).response.tenant!.themeId, KNOWN, 'and the tenant still names it');
});

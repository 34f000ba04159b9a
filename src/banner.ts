import type { StandinApp } from './app.js';
import { CONNECTOR_FAMILY, IDENTITY_PROVIDER_FAMILY, ignoredFamily, INTEGRATION_FAMILY } from './kickstart/ignored-endpoints.js';
import { lambdasThatDoNotRun } from './lambdas/not-run.js';
import { registrationForm } from './manage/registration-form.js';
import { isLoopback, publicUrl } from './listen-address.js';
import { isBuiltInTheme } from './model/built-in-theme.js';
import { unmodelledConsentSettings } from './model/consent.js';
import { enabledEventsNeverSent } from './model/event-types.js';
import { unmodelledIdentityProviderSettings } from './model/identity-provider.js';
import { unmodelledSettings } from './model/unmodelled-settings.js';
import { STANDIN_VERSION } from './version.js';

/** What the CLI prints once listening: where Standin is, and what it holds to log in with. */
export function banner(app: StandinApp, port: number): string {
  const { config, stores } = app.standin;
  const report = app.seedReport;
  const tenants = stores.tenants.list();
  const lines = [
    `Standin ${STANDIN_VERSION} is ready at ${publicUrl(config.host, port)} (listening on ${config.host}:${port})`,
    `  issuer    ${tenants.map((tenant) => app.standin.issuerOf(tenant)).join(', ')}`,
    `  database  ${config.db}`,
  ];
  if (report.source === 'default') lines.push("  seeded    now, with the default seed (FusionAuth's React quickstart)");
  if (report.source === 'kickstart') {
    const replayed = report.replayed ?? 0;
    const ignored = report.ignored.length;
    lines.push(
      `  seeded    now, from the kickstart: ${replayed} request${replayed === 1 ? '' : 's'} replayed, ${ignored} ignored${ignored ? ' (not modelled, listed below)' : ''}`,
    );
  }
  if (report.apiKey) lines.push(`  API key   ${report.apiKey}  (made by the default seed; shown this once)`);

  lines.push('', 'Applications');
  const applications = stores.applications.list();
  for (const application of applications) {
    const redirects = application.oauthConfiguration.authorizedRedirectURLs;
    lines.push(`  ${application.name}  ${application.id}${redirects.length ? `  redirects: ${redirects.join(', ')}` : ''}`);
  }
  lines.push('', 'Users');
  const applicationName = new Map(applications.map((application) => [application.id, application.name]));
  const demo = stores.meta.seedSource() === 'default';
  // "password" only beside the default seed's users whose password has not changed since it set it.
  const demoPasswords = stores.meta.demoPasswords();
  for (const tenant of tenants) {
    for (const user of stores.users.list(tenant.id)) {
      const password = demoPasswords[user.id] !== undefined && demoPasswords[user.id] === user.passwordLastUpdateInstant;
      const registrations = stores.registrations
        .ofUser(user.id)
        .map((r) => `${applicationName.get(r.applicationId) ?? r.applicationId}${r.roles.length ? ` [${r.roles.join(', ')}]` : ''}`);
      lines.push(
        `  ${user.email ?? user.username}${password ? ' / password' : ''}${registrations.length ? `  registered to ${registrations.join(', ')}` : ''}`,
      );
    }
  }
  if (report.ignored.length > 0) {
    // Said where a person looks first: what the kickstart asked for that Standin accepted without acting on it.
    lines.push('', 'Not modelled: accepted from the kickstart, with no effect');
    for (const [family, count] of countByFamily(report.ignored)) lines.push(`  ${family}  ${count} request${count === 1 ? '' : 's'}`);
  }
  const idle = lambdasThatDoNotRun(stores.lambdas.list(), applications, tenants);
  if (idle.length > 0) {
    // A kickstart written for FusionAuth may attach lambdas Standin keeps but never runs (docs/lambdas.md).
    lines.push('', 'Lambdas that do not run: stored and listed, never called');
    for (const line of idle) lines.push(`  ${line}`);
  }
  const inert = [
    ...tenants.flatMap((tenant) => unmodelledSettings('tenant', tenant).map((path) => `${path}  on tenant ${tenant.name}`)),
    ...applications.flatMap((application) =>
      unmodelledSettings('application', application).map((path) => `${path}  on application ${application.name}`),
    ),
    // What a kickstart's OpenID Connect provider asks for that Standin's login does not follow (docs/identity-providers.md).
    ...stores.identityProviders
      .list()
      .flatMap((provider) =>
        unmodelledIdentityProviderSettings(provider, (id) => stores.lambdas.get(id) !== undefined).map(
          (path) => `${path}  on identity provider ${provider.name}`,
        ),
      ),
    // Email Plus follow-ups a kickstart's consent asks for, which Standin never sends (docs/consents-and-families.md).
    ...stores.consents.list().flatMap((consent) => unmodelledConsentSettings(consent).map((path) => `${path}  on consent ${consent.name}`)),
    // Event types a kickstart's webhook listens for that Standin never sends (docs/webhooks.md).
    ...stores.webhooks
      .list()
      .flatMap((webhook) =>
        enabledEventsNeverSent(webhook.eventsEnabled).map(
          (type) => `webhook.eventsEnabled[${type}]  on webhook ${webhook.description ?? webhook.url}`,
        ),
      ),
  ];
  if (inert.length > 0) {
    // Settings FusionAuth acts on that a kickstart turned on (docs/built-ins-and-defaults.md).
    lines.push('', 'Settings that have no effect: stored and answered, not acted on');
    for (const line of inert) lines.push(`  ${line}`);
  }
  const themed = [
    ...tenants.map((tenant) => ({ owner: `tenant ${tenant.name}`, themeId: tenant.themeId })),
    ...applications.map((application) => ({ owner: `application ${application.name}`, themeId: application.themeId })),
  ].flatMap(({ owner, themeId }) => {
    if (typeof themeId !== 'string' || isBuiltInTheme(themeId)) return [];
    const theme = stores.themes.get(themeId);
    return [`${theme?.name ?? themeId}  on ${owner}`];
  });
  if (themed.length > 0) {
    // Standin's hosted pages are its own, not FreeMarker templates: a theme changes nothing a browser sees (docs/themes.md).
    lines.push('', "Themes that are not rendered: stored and answered, the hosted pages are Standin's own");
    for (const line of themed) lines.push(`  ${line}`);
  }
  const unrendered = applications.flatMap((application) => {
    const registration = application.registrationConfiguration;
    if (!registration.enabled || registration.type !== 'advanced') return [];
    const formId = typeof registration.formId === 'string' ? registration.formId.toLowerCase() : undefined;
    const form = registrationForm(stores, formId);
    if (!('refusal' in form)) return [];
    const name = (formId === undefined ? undefined : stores.forms.get(formId)?.name) ?? formId ?? 'no form';
    return [`${name}  on application ${application.name}: ${form.refusal.replace(/ See docs.*$|; see docs.*$/, '')}`];
  });
  if (unrendered.length > 0) {
    // The hosted registration page renders advanced forms, except the parts Standin does not model (docs/custom-forms.md).
    lines.push('', 'Registration forms that are not rendered: the hosted registration page answers an error page');
    for (const line of unrendered) lines.push(`  ${line}`);
  }
  // A Generic messenger sends two-factor codes; Twilio and Kafka ones are stored and answered only (docs/messengers.md).
  const messengers = stores.messengers.list().filter((messenger) => messenger.type !== 'Generic');
  if (messengers.length > 0) {
    lines.push('', 'Messengers that never send: stored and answered, Standin sends through Generic messengers only');
    for (const messenger of messengers) lines.push(`  ${messenger.name}  (${messenger.type})`);
  }
  if (demo && !isLoopback(config.host)) {
    lines.push(
      '',
      `WARNING: the default seed's demo users and client secret are public, and Standin listens on ${config.host}, beyond loopback. Seed your own with --kickstart.`,
    );
  }
  return lines.join('\n');
}

/** `["POST /api/reactor/1", "POST /api/reactor/2"]` → `[["/api/reactor", 2]]`, in the kickstart's order. */
function countByFamily(requests: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const path = new URL(request.slice(request.indexOf(' ') + 1), 'http://kickstart').pathname;
    const family =
      ignoredFamily(path) ??
      (path.startsWith(IDENTITY_PROVIDER_FAMILY)
        ? `${IDENTITY_PROVIDER_FAMILY} (types other than OpenIDConnect and ExternalJWT, and its other APIs)`
        : path.startsWith(CONNECTOR_FAMILY)
          ? `${CONNECTOR_FAMILY} (LDAP connectors)`
          : path.startsWith(INTEGRATION_FAMILY)
            ? `${INTEGRATION_FAMILY} (enabled CleanSpeak or Kafka)`
            : path);
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return [...counts];
}

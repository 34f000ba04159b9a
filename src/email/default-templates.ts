import type { TemplateKind } from '../model/email-configuration.js';

/** A template Standin ships, in FreeMarker, used when neither the application nor the tenant names one. */
export interface DefaultTemplate {
  name: string;
  subject: string;
  html: string;
  text: string;
}

// Every default greets by first name when there is one; `?html` keeps a name from becoming markup.
const GREETING_HTML = "<p>Hello ${((user.firstName)!'there')?html},</p>";
const GREETING_TEXT = "Hello ${(user.firstName)!'there'},";
const CLIENT = "client_id=${((application.oauthConfiguration.clientId)!'')?url}&tenantId=${user.tenantId}";
// The forgot-password and passwordless requests' `state` travels on as query parameters, as FusionAuth's own
// templates carry it (https://fusionauth.io/docs/customize/email-and-messages/email-templates-replacement-variables).
const STATE =
  '[#list state!{} as key, value][#if key != "tenantId" && key != "client_id" && value??][#assign link = link + "&" + key?url + "=" + value?string?url /][/#if][/#list]';
// The passwordless link has no client_id of its own, so the state's (the hosted page's application) stays.
const PASSWORDLESS_STATE = STATE.replace(' && key != "client_id"', '');

function page(lines: string[]): string {
  return ['[#setting url_escaping_charset="UTF-8"]', ...lines].join('\n') + '\n';
}

/**
 * Standin's own wording for each email, linking to the pages FusionAuth serves for it on `baseUrl` (the
 * application's or tenant's base URL, else where Standin is reached).
 */
export const DEFAULT_TEMPLATES: Partial<Record<TemplateKind, DefaultTemplate>> = {
  emailVerification: {
    name: '[Standin default] Email verification',
    subject: 'Please confirm your email address',
    html: page([
      `[#assign link = "\${baseUrl}/email/verify/\${verificationId}?${CLIENT}&postMethod=true" /]`,
      GREETING_HTML,
      '[#if verificationOneTimeCode??]',
      '<p>Enter this code to confirm that this address is yours:</p>',
      '<p><strong>${verificationOneTimeCode?html}</strong></p>',
      '[#else]',
      '<p>To confirm that this address is yours, open the link below.</p>',
      '<p><a href="${link?html}">${link?html}</a></p>',
      '[/#if]',
      '<p>If you did not ask for this, you can ignore this email.</p>',
    ]),
    text: page([
      `[#assign link = "\${baseUrl}/email/verify/\${verificationId}?${CLIENT}&postMethod=true" /]`,
      GREETING_TEXT,
      '',
      '[#if verificationOneTimeCode??]',
      'Enter this code to confirm that this address is yours: ${verificationOneTimeCode}',
      '[#else]',
      'To confirm that this address is yours, open this link:',
      '${link}',
      '[/#if]',
      '',
      'If you did not ask for this, you can ignore this email.',
    ]),
  },
  forgotPassword: {
    name: '[Standin default] Forgot password',
    subject: 'Reset your password',
    html: page([
      `[#assign link = "\${baseUrl}/password/change/\${changePasswordId}?${CLIENT}" /]`,
      STATE,
      GREETING_HTML,
      '<p>Someone asked to reset the password of this account. To choose a new one, open the link below.</p>',
      '<p><a href="${link?html}">${link?html}</a></p>',
      '<p>If it was not you, ignore this email: your password stays as it is.</p>',
    ]),
    text: page([
      `[#assign link = "\${baseUrl}/password/change/\${changePasswordId}?${CLIENT}" /]`,
      STATE,
      GREETING_TEXT,
      '',
      'Someone asked to reset the password of this account. To choose a new one, open this link:',
      '${link}',
      '',
      'If it was not you, ignore this email: your password stays as it is.',
    ]),
  },
  setPassword: {
    name: '[Standin default] Set up password',
    subject: 'Choose a password for your new account',
    html: page([
      `[#assign link = "\${baseUrl}/password/change/\${changePasswordId}?${CLIENT}" /]`,
      GREETING_HTML,
      '<p>An account was created for you. To choose its password, open the link below.</p>',
      '<p><a href="${link?html}">${link?html}</a></p>',
    ]),
    text: page([
      `[#assign link = "\${baseUrl}/password/change/\${changePasswordId}?${CLIENT}" /]`,
      GREETING_TEXT,
      '',
      'An account was created for you. To choose its password, open this link:',
      '${link}',
    ]),
  },
  passwordless: {
    name: '[Standin default] Passwordless login',
    subject: 'Your login link',
    html: page([
      '[#if oneTimeCode??]',
      GREETING_HTML,
      '<p>Your login code is <strong>${oneTimeCode?html}</strong>.</p>',
      '[#else]',
      '[#assign link = "${baseUrl}/oauth2/passwordless/${code}?tenantId=${user.tenantId}" /]',
      PASSWORDLESS_STATE,
      GREETING_HTML,
      '<p>To log in, open the link below. It works once, for a few minutes.</p>',
      '<p><a href="${link?html}">${link?html}</a></p>',
      '[/#if]',
    ]),
    text: page([
      '[#if oneTimeCode??]',
      GREETING_TEXT,
      '',
      'Your login code is ${oneTimeCode}.',
      '[#else]',
      '[#assign link = "${baseUrl}/oauth2/passwordless/${code}?tenantId=${user.tenantId}" /]',
      PASSWORDLESS_STATE,
      GREETING_TEXT,
      '',
      'To log in, open this link. It works once, for a few minutes:',
      '${link}',
      '[/#if]',
    ]),
  },
  registrationVerification: {
    name: '[Standin default] Registration verification',
    subject: "Confirm your registration to ${(application.name)!'the application'}",
    html: page([
      `[#assign link = "\${baseUrl}/registration/verify/\${verificationId}?${CLIENT}&postMethod=true" /]`,
      GREETING_HTML,
      '[#if verificationOneTimeCode??]',
      '<p>Enter this code to confirm your registration:</p>',
      '<p><strong>${verificationOneTimeCode?html}</strong></p>',
      '[#else]',
      '<p>To confirm your registration, open the link below.</p>',
      '<p><a href="${link?html}">${link?html}</a></p>',
      '[/#if]',
    ]),
    text: page([
      `[#assign link = "\${baseUrl}/registration/verify/\${verificationId}?${CLIENT}&postMethod=true" /]`,
      GREETING_TEXT,
      '',
      '[#if verificationOneTimeCode??]',
      'Enter this code to confirm your registration: ${verificationOneTimeCode}',
      '[#else]',
      'To confirm your registration, open this link:',
      '${link}',
      '[/#if]',
    ]),
  },
  twoFactorCode: {
    name: '[Standin default] Two-factor code',
    subject: 'Your verification code',
    html: page([
      GREETING_HTML,
      '<p>Your verification code is <strong>${code?html}</strong>.</p>',
      '<p>If you are not trying to log in, change your password.</p>',
    ]),
    text: page([GREETING_TEXT, '', 'Your verification code is ${code}.', '', 'If you are not trying to log in, change your password.']),
  },
};

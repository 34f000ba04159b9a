import type { Page } from 'playwright-core';

/** Opens `authorizeUrl` (an `/oauth2/authorize` request) and submits the hosted login form with these credentials. */
export async function submitLoginForm(page: Page, authorizeUrl: string, loginId: string, password: string): Promise<void> {
  await page.goto(authorizeUrl);
  await page.getByLabel('Login').fill(loginId);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Submit' }).click();
}

/**
 * Runs `act` (a click or a visit that ends a login) and resolves with the first URL the page then asks for under
 * `prefix` (the redirect_uri): the request is awaited, not the page, which nothing serves.
 */
export async function urlReachedAfter(page: Page, prefix: string, act: () => Promise<unknown>): Promise<URL> {
  const reached = page.waitForRequest((request) => request.url().startsWith(prefix));
  await act();
  return new URL((await reached).url());
}

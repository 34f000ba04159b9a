import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Test } from 'tap';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and no traffic of its own: the machines have no network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Debian's Chromium, headless, with no traffic of its own (the machines have no network beyond loopback).
 * Without Chromium the test is skipped with a notice, unless STANDIN_REQUIRE_BROWSER is set (CI sets it),
 * which makes a missing browser a failure.
 */
export async function launchChromium(t: Test): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.STANDIN_REQUIRE_BROWSER) throw new Error(`Chromium is required (STANDIN_REQUIRE_BROWSER) but ${CHROMIUM} is missing`);
    t.plan(0, `browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    return undefined;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  return browser;
}

/**
 * The id of the element that has the focus, once the element `id` has it or after two seconds: a page that has just
 * loaded may not have applied `autofocus` yet (a slow CI run read the focus first). The caller's assertion decides.
 */
export async function focusedId(page: Page, id: string): Promise<string | undefined> {
  await page.waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 2000 }).catch(() => undefined);
  return page.evaluate(() => document.activeElement?.id);
}

/** Saves a screenshot of the page under test-results/ when the test has failed, for a person to look at. */
export function screenshotOnFailure(t: Test, page: Page, name: string): void {
  t.teardown(async () => {
    if (t.passing()) return;
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${name}.png`, fullPage: true }).catch(() => undefined);
  });
}

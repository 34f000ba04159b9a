import type { Page } from 'playwright-core';
import type { Test } from 'tap';

// Runs in the page, so it is source text: tsx would otherwise wrap its inner functions in a `__name`
// helper that does not exist there.
const CONTRAST_IN_PAGE = `(element) => {
  const parse = (color) => {
    const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\\d.]+/g) || []).map(Number);
    return [r, g, b, a];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3]));
  const layers = [];
  for (let node = element; node; node = node.parentElement) layers.unshift(parse(getComputedStyle(node).backgroundColor));
  const behind = layers.reduce((under, layer) => over(layer, under), [255, 255, 255]);
  const text = over(parse(getComputedStyle(element).color), behind);
  const luminance = (rgb) => rgb
    .map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [light, dark] = [luminance(text), luminance(behind)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}`;

/**
 * The WCAG 2.x contrast ratio of an element's text against what is painted behind it: its own and its
 * ancestors' background colours composited over white, as the browser computed them.
 */
export async function contrastOf(page: Page, selector: string): Promise<number> {
  // The measuring function is built in the page from its source (the test's own code is transpiled with helpers
  // the page does not have), then handed to the element's evaluation as a handle.
  const measure = await page.evaluateHandle<(element: Element) => number>(`(${CONTRAST_IN_PAGE})`);
  return page
    .locator(selector)
    .first()
    .evaluate((element, contrast) => contrast(element), measure);
}

/**
 * The readability bar every hosted page meets (test/browser/login-page.test.ts set it): each selector's text at
 * WCAG AA contrast (4.5:1) and the page no wider than the viewport, so a phone never scrolls sideways.
 */
export async function assertReadable(t: Test, page: Page, name: string, selectors: readonly string[]): Promise<void> {
  for (const selector of selectors) t.ok((await contrastOf(page, selector)) >= 4.5, `${name}: ${selector} meets WCAG AA contrast`);
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal scrolling`);
}

import type { Page } from 'playwright-core';

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
  // A string that is a function expression is called in the page with the element (Playwright's `evaluate`).
  return page.locator(selector).first().evaluate<number, undefined>(`(${CONTRAST_IN_PAGE})`);
}

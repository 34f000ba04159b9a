// What the docs' screenshot scripts share: Debian's Chromium started as the browser tests start it, and one page
// per width a person reads the hosted pages at.
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/chromium.js';

export const OUT = new URL('./screenshots/', import.meta.url).pathname;

export type Device = 'desktop' | 'phone';

export interface Width {
  device: Device;
  page: Page;
  /** Another page at the same width, for a second walk; the caller closes it. */
  newPage: () => Promise<Page>;
  /** A full-page screenshot of `page` as docs/screenshots/<name>-<device>.png. */
  shot: (name: string, page?: Page) => Promise<Buffer>;
}

/** Runs `walk` at a desktop width, then at a phone width (`phone`), each on a new page, in one browser. */
export async function atEachWidth(walk: (width: Width) => Promise<void>, phone = { width: 390, height: 780 }): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    for (const [device, viewport] of [
      ['desktop', { width: 1280, height: 720 }],
      ['phone', phone],
    ] as const) {
      const newPage = () => browser.newPage({ viewport, deviceScaleFactor: device === 'phone' ? 2 : 1 });
      const page = await newPage();
      const shot = (name: string, of: Page = page) => of.screenshot({ path: `${OUT}${name}-${device}.png`, fullPage: true });
      await walk({ device, page, newPage, shot });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

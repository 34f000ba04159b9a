import { readFileSync } from 'node:fs';

/** Standin's own version, from its package.json. */
export const STANDIN_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

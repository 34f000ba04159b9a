import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isObject } from '../model/json.js';
import { KickstartError } from './types.js';

export interface SubstitutionContext {
  /** Where `@{…}` and `&{…}` paths are resolved: the kickstart file's folder. */
  baseDir: string;
  variables: Record<string, unknown>;
  env: Record<string, string | undefined>;
}

// In one pass, so that included text is never substituted again: `#{name}`, `#{ENV.NAME}` or `#{UUID()}`;
// `@{path}`, a text file inlined as a string; or an escape, `\#{`, `\@{` or `\&{`, which stands for the same
// opening without the backslash and starts no placeholder (Kickstart docs, "Variables", "Include files").
const PLACEHOLDER = /\\([#@&])\{|#\{([^}]*)\}|@\{([^}]+)\}/g;
// `&{path}` standing alone: a JSON file inlined as a value.
const JSON_FILE = /^&\{([^}]+)\}$/;

/**
 * Replaces kickstart placeholders throughout a parsed value, object keys included (Kickstart docs, "Variables",
 * "Include files").
 * Each `#{UUID()}` is a new UUID. A string that is nothing but one `#{name}` takes the variable's own JSON
 * type, so a numeric variable gives a number. `where` names the place for error messages.
 */
export function substitute(value: unknown, context: SubstitutionContext, where: string): unknown {
  if (typeof value === 'string') return substituteString(value, context, where);
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, context, `${where}[${index}]`));
  if (isObject(value)) {
    // Keys too: FusionAuth's Member API keys `members` by group id (`{"members": {"#{groupId}": [...]}}`).
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [String(substituteString(key, context, where)), substitute(item, context, `${where}.${key}`)]),
    );
  }
  return value;
}

function substituteString(text: string, context: SubstitutionContext, where: string): unknown {
  const jsonFile = JSON_FILE.exec(text);
  if (jsonFile) {
    const path = jsonFile[1]!;
    const content = readIncluded(context.baseDir, path, where);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      throw new KickstartError(`${where}: the file &{${path}} is not valid JSON: ${(error as Error).message}`);
    }
    return substitute(parsed, context, `${where} (&{${path}})`);
  }
  const whole = /^#\{([^}]*)\}$/.exec(text);
  if (whole) return lookup(whole[1]!, context, where);
  return text.replace(PLACEHOLDER, (_match, escaped: string | undefined, name: string | undefined, path: string | undefined) => {
    if (escaped !== undefined) return `${escaped}{`;
    if (path !== undefined) return readIncluded(context.baseDir, path, where);
    return String(lookup(name!, context, where));
  });
}

/**
 * The files a parsed kickstart value includes, as `substitute` would read them: the `@{…}` text files and the
 * `&{…}` JSON files named in its strings and keys (not those of the included files themselves).
 */
export function includedPaths(value: unknown): { text: string[]; json: string[] } {
  const found = { text: [] as string[], json: [] as string[] };
  const scan = (item: unknown): void => {
    if (typeof item === 'string') {
      const jsonFile = JSON_FILE.exec(item);
      if (jsonFile) found.json.push(jsonFile[1]!);
      else for (const match of item.matchAll(PLACEHOLDER)) if (match[3] !== undefined) found.text.push(match[3]);
    } else if (Array.isArray(item)) item.forEach(scan);
    else if (isObject(item))
      for (const [key, child] of Object.entries(item)) {
        scan(key);
        scan(child);
      }
  };
  scan(value);
  return found;
}

function lookup(name: string, context: SubstitutionContext, where: string): unknown {
  if (name === 'UUID()') return randomUUID();
  if (name.startsWith('ENV.')) {
    const value = context.env[name.slice(4)];
    if (value === undefined) throw new KickstartError(`${where}: #{${name}} names an environment variable that is not set`);
    return value;
  }
  if (!Object.hasOwn(context.variables, name)) throw new KickstartError(`${where}: #{${name}} is not a defined variable`);
  return context.variables[name];
}

function readIncluded(baseDir: string, path: string, where: string): string {
  try {
    return readFileSync(resolve(baseDir, path), 'utf8');
  } catch (error) {
    throw new KickstartError(`${where}: cannot read the included file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

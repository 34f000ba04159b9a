import type { Expr } from './expression.js';
import { describe, escapeHtml, escapeJsString, isHash } from './values.js';

/** The built-ins Standin knows; any other is a parse error, as in FreeMarker. */
export const BUILT_INS: ReadonlySet<string> = new Set([
  'url',
  'html',
  'xml',
  'c',
  'has_content',
  'string',
  'length',
  'size',
  'upper_case',
  'lower_case',
  'cap_first',
  'uncap_first',
  'trim',
  'keys',
  'values',
  'number',
  'boolean',
  'then',
  'js_string',
  'json_string',
]);

/**
 * What a built-in needs of the renderer: evaluation in the current scopes, and its checked conversions, each
 * failing with the template's position (render.ts).
 */
export interface Evaluator {
  evaluate: (expr: Expr, tolerant: boolean) => unknown;
  present: (value: unknown, expr: Expr) => unknown;
  bool: (value: unknown, expr: Expr) => boolean;
  text: (value: unknown, expr: Expr) => string;
  display: (value: unknown, expr: Expr) => string;
  fail: (message: string, at: number) => never;
}

/** `x?name(args)`: https://freemarker.apache.org/docs/ref_builtins.html */
export function applyBuiltIn(expr: Extract<Expr, { type: 'builtin' }>, evaluator: Evaluator): unknown {
  const { evaluate, present, bool, text, display, fail } = evaluator;
  if (expr.name === 'has_content') {
    const value = evaluate(expr.target, true);
    if (value === undefined || value === '') return false;
    if (Array.isArray(value)) return value.length > 0;
    if (isHash(value)) return Object.keys(value).length > 0;
    return true;
  }
  const value = present(evaluate(expr.target, false), expr.target);
  const args = expr.args.map((arg) => evaluate(arg, false));
  switch (expr.name) {
    case 'url':
      // FreeMarker ?url escapes everything but the URL-safe characters, in UTF-8 (url_escaping_charset).
      return encodeURIComponent(text(value, expr.target));
    case 'html':
    case 'xml':
      return escapeHtml(text(value, expr.target));
    case 'js_string':
      return escapeJsString(text(value, expr.target), 'js');
    case 'json_string':
      return escapeJsString(text(value, expr.target), 'json');
    case 'c':
      if (typeof value === 'boolean') return String(value);
      if (typeof value === 'number') return String(value);
      return text(value, expr.target);
    case 'string':
      if (typeof value === 'boolean') {
        if (args.length === 2) return value ? text(args[0], expr) : text(args[1], expr);
        return String(value);
      }
      return display(value, expr.target);
    case 'then':
      if (args.length !== 2) return fail('?then needs two arguments.', expr.at);
      return bool(value, expr.target) ? args[0] : args[1];
    case 'length':
      return text(value, expr.target).length;
    case 'size':
      if (Array.isArray(value)) return value.length;
      if (isHash(value)) return Object.keys(value).length;
      return fail(`${describe(expr.target)} is not a sequence or hash.`, expr.at);
    case 'upper_case':
      return text(value, expr.target).toUpperCase();
    case 'lower_case':
      return text(value, expr.target).toLowerCase();
    case 'cap_first': {
      const s = text(value, expr.target);
      return s.charAt(0).toUpperCase() + s.slice(1);
    }
    case 'uncap_first': {
      const s = text(value, expr.target);
      return s.charAt(0).toLowerCase() + s.slice(1);
    }
    case 'trim':
      return text(value, expr.target).trim();
    case 'keys':
    case 'values':
      if (!isHash(value)) return fail(`${describe(expr.target)} is not a hash.`, expr.at);
      return expr.name === 'keys' ? Object.keys(value) : Object.values(value);
    case 'number': {
      const n = Number(text(value, expr.target));
      return Number.isNaN(n) ? fail(`${describe(expr.target)} is not a number.`, expr.at) : n;
    }
    case 'boolean':
      if (value === 'true' || value === true) return true;
      if (value === 'false' || value === false) return false;
      return fail(`${describe(expr.target)} is not a boolean.`, expr.at);
    default:
      return fail(`Standin does not support the built-in ?${expr.name}.`, expr.at);
  }
}

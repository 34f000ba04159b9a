import type { Expr } from './expression.js';

// Helpers over template values and expressions that the renderer and the built-ins share.

export function isHash(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** FreeMarker's default number format in the en_US locale: grouped, at most three decimals. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** FreeMarker ?html: `<`, `>`, `&`, `"` and `'`. */
export function escapeHtml(value: string): string {
  return value.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * FreeMarker ?js_string and ?json_string (https://freemarker.apache.org/docs/ref_builtins_string.html#ref_builtin_js_string):
 * the backslash and the double quote always, the apostrophe in JavaScript only; control characters as `\n`, `\r`,
 * `\t`, `\b`, `\f` or a hexadecimal escape, as are U+007F–U+009F, U+2028 and U+2029; and what could end the
 * `<script>`, comment or CDATA section around the literal: `/` after `<`, `>` after `]]` or `--`, `<` before `!` or
 * `?`. At either end of the value these count as dangerous too, since template text may continue them.
 */
export function escapeJsString(value: string, flavour: 'js' | 'json'): string {
  const hex = (code: number) =>
    flavour === 'js' && code <= 0xff
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = ch.charCodeAt(0);
    const previous = value[i - 1];
    if (code <= 0x1f) out += CONTROL_ESCAPES[ch] ?? hex(code);
    else if (ch === '"' || ch === '\\' || (ch === "'" && flavour === 'js')) out += `\\${ch}`;
    else if (ch === '/' && (i === 0 || previous === '<')) out += '\\/';
    else if (ch === '>' && (i === 0 || ((previous === ']' || previous === '-') && (i === 1 || value[i - 2] === previous))))
      out += flavour === 'js' ? '\\>' : hex(code);
    else if (ch === '<' && (i === value.length - 1 || value[i + 1] === '!' || value[i + 1] === '?')) out += hex(code);
    else if ((code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) out += hex(code);
    else out += ch;
  }
  return out;
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** How an expression reads in an error message. */
export function describe(expr: Expr): string {
  switch (expr.type) {
    case 'name':
      return expr.name;
    case 'member': {
      const property = expr.property.type === 'literal' && typeof expr.property.value === 'string' ? `.${expr.property.value}` : '[…]';
      return `${describe(expr.object)}${property}`;
    }
    case 'builtin':
      return `${describe(expr.target)}?${expr.name}`;
    case 'default':
    case 'exists':
      return describe(expr.target);
    case 'literal':
      return JSON.stringify(expr.value);
    default:
      return 'the expression';
  }
}

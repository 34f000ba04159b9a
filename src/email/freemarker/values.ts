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

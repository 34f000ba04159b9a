import { TemplateError, positionOf } from './error.js';
import type { Expr } from './expression.js';
import { parseTemplate, type Node, type Template } from './template.js';

export type DataModel = Record<string, unknown>;

// An email is far smaller; a template that doubles a string in a loop stops here instead of filling memory.
const MAX_OUTPUT = 2 * 1024 * 1024;

/**
 * Renders a parsed template over a data model of plain JSON values. As in FreeMarker, a missing value
 * (absent or null) is an error unless the template tests it (`x??`) or gives a default (`x!'…'`); `${…}`
 * does not escape (FusionAuth's templates escape where they mean to, with `?html` or `?url`); numbers print
 * with grouping (`1,234`) unless `?c`; booleans print only through `?c` or `?string`.
 */
export function renderTemplate(template: Template, model: DataModel): string {
  const { source } = template;
  const fail = (message: string, at: number): never => {
    const { line, column } = positionOf(source, at);
    throw new TemplateError('render', message, line, column);
  };
  const scopes: Array<Map<string, unknown>> = [new Map(Object.entries(model))];
  const globals = scopes[0]!;

  const lookup = (name: string): unknown => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return scopes[i]!.get(name);
    return undefined;
  };

  /** Evaluates `expr`; `tolerant` (inside `!` and `??`) turns a missing step of a path into missing, not an error. */
  function evaluate(expr: Expr, tolerant: boolean): unknown {
    switch (expr.type) {
      case 'literal':
        return expr.value;
      case 'string':
        return expr.parts.map((part) => (typeof part === 'string' ? part : display(evaluate(part, false), part))).join('');
      case 'name': {
        const value = lookup(expr.name);
        return value === null ? undefined : value;
      }
      case 'member': {
        const object = evaluate(expr.object, tolerant);
        if (object === undefined) {
          if (tolerant) return undefined;
          return fail(`${describe(expr.object)} is missing, so ${describe(expr)} cannot be read. Test it with ?? or give a default with !.`, expr.at);
        }
        const key = evaluate(expr.property, false);
        let value: unknown;
        if (Array.isArray(object) && typeof key === 'number') value = object[key];
        else if (isHash(object) && typeof key === 'string') value = Object.hasOwn(object, key) ? object[key] : undefined;
        else return fail(`${describe(expr.object)} has no member ${JSON.stringify(key)}.`, expr.at);
        return value === null ? undefined : value;
      }
      case 'default': {
        const value = evaluate(expr.target, true);
        if (value !== undefined) return value;
        return expr.fallback ? evaluate(expr.fallback, false) : '';
      }
      case 'exists':
        return evaluate(expr.target, true) !== undefined;
      case 'not':
        return !bool(evaluate(expr.operand, false), expr.operand);
      case 'negate': {
        const value = evaluate(expr.operand, false);
        if (typeof value !== 'number') return fail(`${describe(expr.operand)} is not a number.`, expr.at);
        return -value;
      }
      case 'binary':
        return binary(expr);
      case 'hash':
        return Object.fromEntries(expr.entries.map(([key, value]) => [text(evaluate(key, false), key), evaluate(value, false)]));
      case 'sequence':
        return expr.items.map((item) => evaluate(item, false));
      case 'builtin':
        return builtin(expr);
    }
  }

  function binary(expr: Extract<Expr, { type: 'binary' }>): unknown {
    if (expr.op === '&&') return bool(evaluate(expr.left, false), expr.left) && bool(evaluate(expr.right, false), expr.right);
    if (expr.op === '||') return bool(evaluate(expr.left, false), expr.left) || bool(evaluate(expr.right, false), expr.right);
    const left = present(evaluate(expr.left, false), expr.left);
    const right = present(evaluate(expr.right, false), expr.right);
    switch (expr.op) {
      case '==':
      case '!=': {
        if (typeof left !== typeof right || !['string', 'number', 'boolean'].includes(typeof left)) {
          return fail(`Cannot compare ${describe(expr.left)} with ${describe(expr.right)}: not values of the same simple type.`, expr.at);
        }
        return expr.op === '==' ? left === right : left !== right;
      }
      case '+': {
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        if (isHash(left) && isHash(right)) return { ...left, ...right };
        if (Array.isArray(left) && Array.isArray(right)) return [...(left as unknown[]), ...(right as unknown[])];
        return display(left, expr.left) + display(right, expr.right);
      }
      default: {
        if (typeof left !== 'number' || typeof right !== 'number') {
          if (['<', '>', '<=', '>='].includes(expr.op) && typeof left === 'string' && typeof right === 'string')
            return compare(expr.op, left.localeCompare(right), 0);
          return fail(`"${expr.op}" needs numbers.`, expr.at);
        }
        if (expr.op === '-') return left - right;
        if (expr.op === '*') return left * right;
        if (expr.op === '/') return left / right;
        if (expr.op === '%') return left % right;
        return compare(expr.op, left, right);
      }
    }
  }

  function builtin(expr: Extract<Expr, { type: 'builtin' }>): unknown {
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
      case 'json_string':
        return JSON.stringify(text(value, expr.target)).slice(1, -1);
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

  function present(value: unknown, expr: Expr): unknown {
    if (value === undefined) fail(`${describe(expr)} is missing. Test it with ?? or give a default with !.`, expr.at);
    return value;
  }
  function bool(value: unknown, expr: Expr): boolean {
    if (typeof value !== 'boolean')
      fail(`${describe(expr)} is ${value === undefined ? 'missing' : 'not a boolean'}; a condition must be true or false.`, expr.at);
    return value as boolean;
  }
  function text(value: unknown, expr: Expr): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return formatNumber(value);
    present(value, expr);
    return fail(`${describe(expr)} is not a string.`, expr.at);
  }
  /** What `${…}` prints. */
  function display(value: unknown, expr: Expr): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return formatNumber(value);
    present(value, expr);
    if (typeof value === 'boolean') return fail(`${describe(expr)} is a boolean: print it with ?c or ?string("yes", "no").`, expr.at);
    return fail(`${describe(expr)} is a ${Array.isArray(value) ? 'sequence' : 'hash'} and cannot be printed.`, expr.at);
  }

  function run(nodes: Node[]): string {
    let out = '';
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          out += node.text;
          break;
        case 'interpolation':
          out += display(evaluate(node.expr, false), node.expr);
          break;
        case 'assign':
          for (const { name, expr } of node.assignments) {
            const value = evaluate(expr, false);
            if (typeof value === 'string' && value.length > MAX_OUTPUT) fail('The template builds a value larger than an email may be.', node.at);
            globals.set(name, value);
          }
          break;
        case 'if': {
          const branch = node.branches.find((candidate) => bool(evaluate(candidate.test, false), candidate.test));
          out += run(branch ? branch.body : node.otherwise);
          break;
        }
        case 'list': {
          const listed = present(evaluate(node.source, false), node.source);
          const entries: Array<[unknown, unknown]> = Array.isArray(listed)
            ? listed.map((item) => [item, undefined])
            : isHash(listed) && node.value !== undefined
              ? Object.entries(listed)
              : fail(`${describe(node.source)} cannot be listed${isHash(listed) ? ' without "as key, value"' : ''}.`, node.at);
          if (entries.length === 0) {
            out += run(node.otherwise);
            break;
          }
          for (const [first, second] of entries) {
            const scope = new Map<string, unknown>([[node.item, first === null ? undefined : first]]);
            if (node.value !== undefined) scope.set(node.value, second === null ? undefined : second);
            scopes.push(scope);
            try {
              out += run(node.body);
            } finally {
              scopes.pop();
            }
          }
          break;
        }
      }
      if (out.length > MAX_OUTPUT) fail('The template renders more than an email may hold.', 'at' in node ? node.at : 0);
    }
    return out;
  }

  return run(template.nodes);
}

/** Parses and renders in one step. */
export function render(source: string, model: DataModel): string {
  return renderTemplate(parseTemplate(source), model);
}

function isHash(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(op: string, left: number, right: number): boolean {
  if (op === '<') return left < right;
  if (op === '>') return left > right;
  if (op === '<=') return left <= right;
  return left >= right;
}

/** FreeMarker's default number format in the en_US locale: grouped, at most three decimals. */
function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** FreeMarker ?html: `<`, `>`, `&`, `"` and `'`. */
export function escapeHtml(value: string): string {
  return value.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** How an expression reads in an error message. */
function describe(expr: Expr): string {
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

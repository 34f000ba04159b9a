import { TemplateError, positionOf } from './error.js';
import { applyBuiltIn, type Evaluator } from './built-ins.js';
import type { Expr } from './expression.js';
import { describe, formatNumber, isHash } from './values.js';
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
        return applyBuiltIn(expr, evaluator);
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

  const evaluator: Evaluator = { evaluate, present, bool, text, display, fail };
  return run(template.nodes);
}

/** Parses and renders in one step. */
export function render(source: string, model: DataModel): string {
  return renderTemplate(parseTemplate(source), model);
}

function compare(op: string, left: number, right: number): boolean {
  if (op === '<') return left < right;
  if (op === '>') return left > right;
  if (op === '<=') return left <= right;
  return left >= right;
}

import { TemplateError, positionOf } from './error.js';

/**
 * FreeMarker expressions, the part FusionAuth's email templates use: literals (strings with `${…}` inside,
 * numbers, booleans, `{…}` hashes, `[…]` sequences), names and dotted or `[…]` member access, built-ins
 * (`x?url`), the missing-value operators `x!default` and `x??`, `!`, `+ - * / %`, comparisons, `&&`, `||`.
 * Parsed into a tree once; the renderer walks the tree. Nothing is ever evaluated as JavaScript.
 * Reference: https://freemarker.apache.org/docs/dgui_template_exp.html
 */
export type Expr =
  | { type: 'literal'; value: unknown; at: number }
  | { type: 'string'; parts: Array<string | Expr>; at: number }
  | { type: 'name'; name: string; at: number }
  | { type: 'member'; object: Expr; property: Expr; at: number }
  | { type: 'builtin'; target: Expr; name: string; args: Expr[]; at: number }
  | { type: 'default'; target: Expr; fallback?: Expr; at: number }
  | { type: 'exists'; target: Expr; at: number }
  | { type: 'not'; operand: Expr; at: number }
  | { type: 'negate'; operand: Expr; at: number }
  | { type: 'binary'; op: string; left: Expr; right: Expr; at: number }
  | { type: 'hash'; entries: Array<[Expr, Expr]>; at: number }
  | { type: 'sequence'; items: Expr[]; at: number };

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

interface Token {
  kind: 'name' | 'number' | 'string' | 'op' | 'end';
  text: string;
  /** For strings: the decoded value; `raw` strings keep `${` as text. */
  value?: string;
  raw?: boolean;
  /** Offset in the whole template. */
  at: number;
}

const OPERATORS = [
  '??',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
  '?',
  '.',
  ',',
  ':',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
];
const WORD_OPERATORS: ReadonlyMap<string, string> = new Map([
  ['gt', '>'],
  ['gte', '>='],
  ['lt', '<'],
  ['lte', '<='],
  ['and', '&&'],
  ['or', '||'],
]);

function tokenize(source: string, text: string, base: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, offset: number): never => {
    const { line, column } = positionOf(source, base + offset);
    throw new TemplateError('parse', message, line, column);
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_$@]/.test(ch)) {
      while (i < text.length && /[A-Za-z0-9_$@]/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const op = WORD_OPERATORS.get(word);
      if (word === 'r' && (text[i] === '"' || text[i] === "'")) {
        const quote = text[i]!;
        const end = text.indexOf(quote, i + 1);
        if (end < 0) fail('A string literal is not closed.', start);
        tokens.push({ kind: 'string', text: text.slice(start, end + 1), value: text.slice(i + 1, end), raw: true, at: base + start });
        i = end + 1;
      } else if (op) tokens.push({ kind: 'op', text: op, at: base + start });
      else tokens.push({ kind: 'name', text: word, at: base + start });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      if (text[i] === '.' && /[0-9]/.test(text[i + 1] ?? '')) {
        i++;
        while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      }
      tokens.push({ kind: 'number', text: text.slice(start, i), at: base + start });
      continue;
    }
    if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === '\\') {
          const next = text[i + 1];
          const escapes: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '"': '"',
            "'": "'",
            '\\': '\\',
            '{': '{',
            '=': '=',
            b: '\b',
            f: '\f',
            l: '<',
            g: '>',
            a: '&',
          };
          if (next === undefined || !Object.hasOwn(escapes, next)) fail('Unknown escape in a string literal.', i);
          // A `\$` or `\{` keeps `${` from starting an interpolation; mark it with a private character.
          value += next === '{' ? '\u0000{' : escapes[next!]!;
          i += 2;
        } else value += text.charAt(i++);
      }
      if (i >= text.length) fail('A string literal is not closed.', start);
      i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), value, at: base + start });
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (!op) fail(`Unexpected character "${ch}" in an expression.`, i);
    tokens.push({ kind: 'op', text: op!, at: base + start });
    i += op!.length;
  }
  tokens.push({ kind: 'end', text: '', at: base + text.length });
  return tokens;
}

/** Parses `text`, which sits at `base` in the template `source` (for error positions). */
export function parseExpression(source: string, text: string, base: number): Expr {
  const parser = createParser(source, tokenize(source, text, base));
  const expr = parser.expression();
  parser.expectEnd();
  return expr;
}

/** Parses the leading expression of `text` and returns it with the tokens left (for `[#list x as y]`, `[#assign a = b]`). */
export function createParser(source: string, tokens: Token[]) {
  let position = 0;
  const peek = (offset = 0) => tokens[Math.min(position + offset, tokens.length - 1)]!;
  const next = () => tokens[position++]!;
  const fail = (message: string, token: Token = peek()): never => {
    const { line, column } = positionOf(source, token.at);
    throw new TemplateError('parse', message, line, column);
  };
  const isOp = (text: string, token = peek()) => token.kind === 'op' && token.text === text;
  const expect = (text: string) => {
    if (!isOp(text)) fail(`Expected "${text}" but found "${peek().text || 'the end'}".`);
    return next();
  };

  function expression(): Expr {
    return or();
  }
  function binaryLevel(operators: string[], operand: () => Expr): () => Expr {
    return () => {
      let left = operand();
      while (peek().kind === 'op' && operators.includes(peek().text)) {
        const token = next();
        const op = token.text === '=' ? '==' : token.text;
        left = { type: 'binary', op, left, right: operand(), at: token.at };
      }
      return left;
    };
  }
  const unary = (): Expr => {
    if (isOp('!')) {
      const token = next();
      return { type: 'not', operand: unary(), at: token.at };
    }
    if (isOp('-')) {
      const token = next();
      return { type: 'negate', operand: unary(), at: token.at };
    }
    return postfix();
  };
  const multiplicative = binaryLevel(['*', '/', '%'], unary);
  const additive = binaryLevel(['+', '-'], multiplicative);
  const relational = binaryLevel(['<', '>', '<=', '>='], additive);
  const equality = binaryLevel(['==', '!=', '='], relational);
  const and = binaryLevel(['&&'], equality);
  const or = binaryLevel(['||'], and);

  function postfix(): Expr {
    let expr = primary();
    for (;;) {
      const token = peek();
      if (isOp('.')) {
        next();
        const name = next();
        if (name.kind !== 'name') fail('Expected a name after ".".', name);
        expr = { type: 'member', object: expr, property: { type: 'literal', value: name.text, at: name.at }, at: name.at };
      } else if (isOp('[')) {
        next();
        const property = expression();
        expect(']');
        expr = { type: 'member', object: expr, property, at: token.at };
      } else if (isOp('??')) {
        next();
        expr = { type: 'exists', target: expr, at: token.at };
      } else if (isOp('?')) {
        next();
        const name = next();
        if (name.kind !== 'name') fail('Expected a built-in name after "?".', name);
        if (!BUILT_INS.has(name.text)) fail(`Standin does not support the built-in ?${name.text}.`, name);
        const args: Expr[] = [];
        if (isOp('(')) {
          next();
          while (!isOp(')')) {
            args.push(expression());
            if (!isOp(')')) expect(',');
          }
          next();
        }
        expr = { type: 'builtin', target: expr, name: name.text, args, at: name.at };
      } else if (isOp('!') && !isOp('=', peek(1))) {
        next();
        // `x!` alone defaults to an empty string; `x!y` to y, which binds as tightly as a primary.
        const after = peek();
        const startsOperand =
          after.kind === 'name' || after.kind === 'number' || after.kind === 'string' || isOp('(', after) || isOp('{', after) || isOp('[', after);
        expr = startsOperand
          ? { type: 'default', target: expr, fallback: postfixNoDefault(), at: token.at }
          : { type: 'default', target: expr, at: token.at };
      } else return expr;
    }
  }
  function postfixNoDefault(): Expr {
    let expr = primary();
    while (isOp('.') || isOp('?')) {
      const token = next();
      const name = next();
      if (name.kind !== 'name') fail('Expected a name.', name);
      if (token.text === '.') expr = { type: 'member', object: expr, property: { type: 'literal', value: name.text, at: name.at }, at: name.at };
      else {
        if (!BUILT_INS.has(name.text)) fail(`Standin does not support the built-in ?${name.text}.`, name);
        expr = { type: 'builtin', target: expr, name: name.text, args: [], at: name.at };
      }
    }
    return expr;
  }
  function primary(): Expr {
    const token = next();
    if (token.kind === 'number') return { type: 'literal', value: Number(token.text), at: token.at };
    if (token.kind === 'string') return stringLiteral(token);
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') return { type: 'literal', value: token.text === 'true', at: token.at };
      return { type: 'name', name: token.text, at: token.at };
    }
    if (isOp('(', token)) {
      const inner = expression();
      expect(')');
      return inner;
    }
    if (isOp('{', token)) {
      const entries: Array<[Expr, Expr]> = [];
      while (!isOp('}')) {
        const key = expression();
        expect(':');
        entries.push([key, expression()]);
        if (!isOp('}')) expect(',');
      }
      next();
      return { type: 'hash', entries, at: token.at };
    }
    if (isOp('[', token)) {
      const items: Expr[] = [];
      while (!isOp(']')) {
        items.push(expression());
        if (!isOp(']')) expect(',');
      }
      next();
      return { type: 'sequence', items, at: token.at };
    }
    return fail(token.kind === 'end' ? 'An expression is missing.' : `Unexpected "${token.text}" in an expression.`, token);
  }
  function stringLiteral(token: Token): Expr {
    const value = token.value!;
    if (token.raw || !value.includes('${')) return { type: 'literal', value: value.replaceAll('\u0000{', '{'), at: token.at };
    // `"…${x}…"`: the parts are parsed as expressions in their own right, positions relative to the literal.
    const parts: Array<string | Expr> = [];
    let i = 0;
    while (i < value.length) {
      const open = value.indexOf('${', i);
      if (open < 0 || (open > 0 && value[open - 1] === '\u0000')) {
        parts.push(value.slice(i).replaceAll('\u0000{', '{'));
        break;
      }
      if (open > i) parts.push(value.slice(i, open).replaceAll('\u0000{', '{'));
      const close = matchingBrace(value, open + 2);
      if (close < 0) fail('An interpolation in a string literal is not closed.', token);
      parts.push(parseExpression(source, value.slice(open + 2, close), token.at + 1 + open + 2));
      i = close + 1;
    }
    return { type: 'string', parts, at: token.at };
  }

  return {
    expression,
    peek,
    next,
    isOp,
    expect,
    fail,
    expectEnd: () => {
      if (peek().kind !== 'end') fail(`Unexpected "${peek().text}" after the expression.`);
    },
  };
}

export { tokenize as tokenizeExpression };

/** The index of the `}` that closes an interpolation whose body starts at `from`, skipping strings and nested braces. */
export function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      const end = skipString(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The index of the quote that closes the string starting at `start`, or -1. */
export function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

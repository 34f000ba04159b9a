import { BUILT_INS } from './built-ins.js';
import { TemplateError, positionOf } from './error.js';
import { matchingBrace, tokenizeExpression, type Token } from './tokenizer.js';

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

/** Parses `text`, which sits at `base` in the template `source` (for error positions). */
export function parseExpression(source: string, text: string, base: number): Expr {
  const parser = createParser(source, tokenizeExpression(source, text, base));
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

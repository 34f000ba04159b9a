import { TemplateError, positionOf } from './error.js';

/**
 * The FreeMarker expression tokenizer, and the scanning helpers the template parser shares with it (where an
 * interpolation or a string literal ends). Reference: https://freemarker.apache.org/docs/dgui_template_exp.html
 */
export interface Token {
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

export function tokenizeExpression(source: string, text: string, base: number): Token[] {
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

/** The index of the `}` that closes an interpolation whose body starts at `from`, skipping strings and nested braces. */
export function matchingBrace(text: string, from: number): number {
  return closingDelimiter(text, from, '}', '{', '');
}

/**
 * The index of the `end` that closes a construct whose body starts at `from`, or -1: strings are skipped, and an
 * `end` inside a pair that one of `opens` began (and `end` or one of `closes` ends) does not count.
 */
export function closingDelimiter(text: string, from: number, end: string, opens: string, closes: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const stringEnd = skipString(text, i);
      if (stringEnd < 0) return -1;
      i = stringEnd;
    } else if (ch === end) {
      if (depth === 0) return i;
      depth--;
    } else if (opens.includes(ch)) depth++;
    else if (closes.includes(ch)) depth--;
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

import { TemplateError, positionOf } from './error.js';
import { createParser, parseExpression, type Expr } from './expression.js';
import { matchingBrace, skipString, tokenizeExpression } from './tokenizer.js';

/**
 * A FreeMarker template in square-bracket tag syntax, as FusionAuth writes its email templates:
 * text, `${…}` interpolations, `[#if]`/`[#elseif]`/`[#else]`, `[#list x as y]` (and `as key, value` over a
 * hash, with an optional `[#else]` for an empty list), `[#assign name = …]`, `[#setting …]` and `[#ftl …]`
 * (accepted, ignored), `[#-- comments --]`. Lines that hold only tags and comments leave no blank line, as in
 * FreeMarker's white-space stripping (https://freemarker.apache.org/docs/dgui_misc_whitespace.html).
 */
export type Node =
  | { type: 'text'; text: string }
  | { type: 'interpolation'; expr: Expr; at: number }
  | { type: 'if'; branches: Array<{ test: Expr; body: Node[] }>; otherwise: Node[]; at: number }
  | { type: 'list'; source: Expr; item: string; value?: string; body: Node[]; otherwise: Node[]; at: number }
  | { type: 'assign'; assignments: Array<{ name: string; expr: Expr }>; at: number };

export interface Template {
  source: string;
  nodes: Node[];
}

type Piece =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'interpolation'; body: string; at: number; bodyAt: number }
  | { kind: 'open'; name: string; body: string; at: number; bodyAt: number }
  | { kind: 'close'; name: string; at: number }
  | { kind: 'comment'; at: number };

const KNOWN = new Set(['if', 'elseif', 'else', 'list', 'assign', 'setting', 'ftl']);

/** Parses a template, or throws a TemplateError naming the line of the first problem. */
export function parseTemplate(source: string): Template {
  const pieces = stripWhitespace(split(source));
  let index = 0;

  const fail = (message: string, at: number): never => {
    const { line, column } = positionOf(source, at);
    throw new TemplateError('parse', message, line, column);
  };

  /** Nodes up to a tag in `stops` (returned with it), or to the end when `stops` is empty. */
  function block(stops: string[], opener?: Piece): { nodes: Node[]; stop?: Piece } {
    const nodes: Node[] = [];
    while (index < pieces.length) {
      const piece = pieces[index++]!;
      if (piece.kind === 'comment') continue;
      if (piece.kind === 'text') {
        nodes.push({ type: 'text', text: piece.text });
        continue;
      }
      if (piece.kind === 'interpolation') {
        nodes.push({ type: 'interpolation', expr: parseExpression(source, piece.body, piece.bodyAt), at: piece.at });
        continue;
      }
      const tag = piece.kind === 'close' ? `/${piece.name}` : piece.name;
      if (stops.includes(tag)) return { nodes, stop: piece };
      if (piece.kind === 'close') fail(`[/#${piece.name}] closes nothing that is open here.`, piece.at);
      if (piece.kind !== 'open') continue;
      switch (piece.name) {
        case 'if':
          nodes.push(ifNode(piece));
          break;
        case 'list':
          nodes.push(listNode(piece));
          break;
        case 'assign':
          nodes.push(assignNode(piece));
          break;
        case 'setting':
        case 'ftl':
          // FusionAuth's templates start with `[#setting url_escaping_charset="UTF-8"]`; Standin always uses UTF-8.
          break;
        default:
          fail(`[#${piece.name}] is not allowed here.`, piece.at);
      }
    }
    if (stops.length > 0)
      fail(
        `This [#${stops.at(-1)!.replace(/^\//, '')}] is not closed: [${stops.at(-1)!.replace(/^\//, '/#')}] is missing.`,
        opener?.at ?? source.length,
      );
    return { nodes };
  }

  function ifNode(open: Extract<Piece, { kind: 'open' }>): Node {
    const branches: Array<{ test: Expr; body: Node[] }> = [];
    let test = parseExpression(source, open.body, open.bodyAt);
    for (;;) {
      const { nodes, stop } = block(['elseif', 'else', '/if'], open);
      branches.push({ test, body: nodes });
      if (stop!.kind === 'close') return { type: 'if', branches, otherwise: [], at: open.at };
      const next = stop as Extract<Piece, { kind: 'open' }>;
      if (next.name === 'else') {
        const rest = block(['/if', 'elseif', 'else'], open);
        if (rest.stop!.kind !== 'close') fail(`[#${(rest.stop as { name: string }).name}] after [#else].`, rest.stop!.at);
        return { type: 'if', branches, otherwise: rest.nodes, at: open.at };
      }
      test = parseExpression(source, next.body, next.bodyAt);
    }
  }

  function listNode(open: Extract<Piece, { kind: 'open' }>): Node {
    const parser = createParser(source, tokenizeExpression(source, open.body, open.bodyAt));
    const sourceExpr = parser.expression();
    const as = parser.next();
    if (as.kind !== 'name' || as.text !== 'as') parser.fail('Expected "as" in [#list … as …].', as);
    const item = parser.next();
    if (item.kind !== 'name') parser.fail('Expected a loop variable name.', item);
    let value: string | undefined;
    if (parser.isOp(',')) {
      parser.next();
      const second = parser.next();
      if (second.kind !== 'name') parser.fail('Expected a loop variable name after ",".', second);
      value = second.text;
    }
    parser.expectEnd();
    const { nodes, stop } = block(['else', '/list'], open);
    let otherwise: Node[] = [];
    if (stop!.kind === 'open') otherwise = block(['/list'], open).nodes;
    return { type: 'list', source: sourceExpr, item: item.text, ...(value === undefined ? {} : { value }), body: nodes, otherwise, at: open.at };
  }

  function assignNode(open: Extract<Piece, { kind: 'open' }>): Node {
    const parser = createParser(source, tokenizeExpression(source, open.body, open.bodyAt));
    const assignments: Array<{ name: string; expr: Expr }> = [];
    do {
      const name = parser.next();
      if (name.kind !== 'name') parser.fail('Expected a variable name in [#assign].', name);
      parser.expect('=');
      assignments.push({ name: name.text, expr: parser.expression() });
      if (parser.isOp(',')) parser.next();
    } while (parser.peek().kind !== 'end');
    return { type: 'assign', assignments, at: open.at };
  }

  const { nodes } = block([]);
  return { source, nodes };
}

/** Cuts the template into text, interpolations, tags and comments. */
function split(source: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let textAt = 0;
  const fail = (message: string, at: number): never => {
    const { line, column } = positionOf(source, at);
    throw new TemplateError('parse', message, line, column);
  };
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text, at: textAt });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('[#--', i)) {
      const end = source.indexOf('--]', i + 4);
      if (end < 0) fail('A comment [#-- is not closed with --].', i);
      flush();
      pieces.push({ kind: 'comment', at: i });
      i = end + 3;
      textAt = i;
      continue;
    }
    if (source.startsWith('${', i)) {
      const close = matchingBrace(source, i + 2);
      if (close < 0) fail('An interpolation ${ is not closed with }.', i);
      flush();
      pieces.push({ kind: 'interpolation', body: source.slice(i + 2, close), at: i, bodyAt: i + 2 });
      i = close + 1;
      textAt = i;
      continue;
    }
    const tag = /^\[(\/?)#([A-Za-z_]+)/.exec(source.slice(i, i + 64));
    if (tag) {
      const close = closingBracket(source, i + tag[0].length);
      if (close < 0) fail(`The tag [${tag[1]}#${tag[2]} is not closed with ].`, i);
      const name = tag[2]!;
      if (!KNOWN.has(name)) fail(`Standin does not support the directive [#${name}].`, i);
      flush();
      if (tag[1] === '/') pieces.push({ kind: 'close', name, at: i });
      else {
        let body = source.slice(i + tag[0].length, close);
        if (body.trimEnd().endsWith('/')) body = body.trimEnd().slice(0, -1);
        pieces.push({ kind: 'open', name, body, at: i, bodyAt: i + tag[0].length });
      }
      i = close + 1;
      textAt = i;
      continue;
    }
    // FreeMarker's other tag syntax: refused with a clear message rather than sent out as text.
    const angle = /^<\/?#([A-Za-z_]+)/.exec(source.slice(i, i + 64));
    if (angle) fail(`Angle-bracket tags (<#${angle[1]}>) are not supported: write [#${angle[1]}] as FusionAuth's templates do.`, i);
    text += source.charAt(i++);
  }
  flush();
  return pieces;
}

/** The `]` that ends a tag whose body starts at `from`, skipping strings and nested brackets. */
function closingBracket(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      const end = skipString(source, i);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '[' || ch === '{' || ch === '(') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (ch === ']') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * FreeMarker's white-space stripping: on a line holding only tags and comments (no interpolation, no other
 * text), the white-space around them and the line break at its end are dropped.
 */
function stripWhitespace(pieces: Piece[]): Piece[] {
  // Split text pieces at line breaks so that each line can be judged on its own.
  const split: Piece[] = [];
  for (const piece of pieces) {
    if (piece.kind !== 'text') {
      split.push(piece);
      continue;
    }
    const lines = piece.text.split(/(?<=\n)/);
    let at = piece.at;
    for (const line of lines) {
      split.push({ kind: 'text', text: line, at });
      at += line.length;
    }
  }
  const out: Piece[] = [];
  let line: Piece[] = [];
  const endLine = () => {
    const tagsOnly =
      line.some((piece) => piece.kind === 'open' || piece.kind === 'close' || piece.kind === 'comment') &&
      line.every((piece) => piece.kind !== 'interpolation' && (piece.kind !== 'text' || piece.text.trim() === ''));
    out.push(...(tagsOnly ? line.filter((piece) => piece.kind !== 'text') : line));
    line = [];
  };
  for (const piece of split) {
    line.push(piece);
    if (piece.kind === 'text' && piece.text.endsWith('\n')) endLine();
  }
  endLine();
  return out;
}

import { TemplateError, positionOf } from './error.js';
import { createParser, parseExpression, type Expr } from './expression.js';
import { split, stripWhitespace, type Piece } from './pieces.js';
import { tokenizeExpression } from './tokenizer.js';

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

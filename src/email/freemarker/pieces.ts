import { TemplateError, positionOf } from './error.js';
import { closingDelimiter, matchingBrace } from './tokenizer.js';

/**
 * The first pass over a template: cut into text, `${…}` interpolations, `[#…]` tags and comments, then the
 * white-space stripping of lines that hold only tags and comments
 * (https://freemarker.apache.org/docs/dgui_misc_whitespace.html). template.ts builds the tree from the pieces.
 */
export type Piece =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'interpolation'; body: string; at: number; bodyAt: number }
  | { kind: 'open'; name: string; body: string; at: number; bodyAt: number }
  | { kind: 'close'; name: string; at: number }
  | { kind: 'comment'; at: number };

const KNOWN = new Set(['if', 'elseif', 'else', 'list', 'assign', 'setting', 'ftl']);

/** Cuts the template into text, interpolations, tags and comments. */
export function split(source: string): Piece[] {
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

/** The `]` that ends a tag whose body starts at `from`, skipping strings and nested brackets of every kind. */
function closingBracket(source: string, from: number): number {
  return closingDelimiter(source, from, ']', '[{(', ')}');
}

/**
 * FreeMarker's white-space stripping: on a line holding only tags and comments (no interpolation, no other
 * text), the white-space around them and the line break at its end are dropped.
 */
export function stripWhitespace(pieces: Piece[]): Piece[] {
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

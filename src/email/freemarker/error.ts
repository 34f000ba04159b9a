/**
 * A template that does not parse, or that fails while rendering (a missing value, a wrong type), with the
 * line and column where it happened, 1-based, as FreeMarker reports them.
 */
export class TemplateError extends Error {
  override name = 'TemplateError';

  constructor(
    readonly kind: 'parse' | 'render',
    readonly detail: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${detail} (line ${line}, column ${column})`);
  }
}

/** Line and column of `offset` in `source`. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

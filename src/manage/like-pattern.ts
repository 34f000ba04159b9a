/**
 * A FusionAuth text search criterion as a SQL LIKE pattern (`\` escaping): `*` stands for any run of characters, and a
 * value with no `*` is looked for anywhere, as if written `*value*` (Event Log and Audit Logs APIs, "message").
 * Undefined for a value that matches everything (absent, blank or `*`).
 */
export function likePattern(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || trimmed === '' || trimmed === '*') return undefined;
  const escaped = trimmed.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');
  return trimmed.includes('*') ? escaped : `%${escaped}%`;
}

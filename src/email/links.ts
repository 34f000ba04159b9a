/**
 * The http(s) links of an email, in order of appearance and without duplicates, from the text body and the
 * HTML body's `href`s (with `&amp;` and the other entities a template writes decoded).
 */
export function extractLinks(text: string, html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) found.push(decodeEntities(match[1] ?? match[2] ?? ''));
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) found.push(match[0].replace(/[.,;:!?)]+$/, ''));
  return [...new Set(found.filter((link) => /^https?:\/\//i.test(link)))];
}

function decodeEntities(value: string): string {
  return value.replace(
    /&(amp|lt|gt|quot|#39|#x27|apos);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" })[name]!,
  );
}

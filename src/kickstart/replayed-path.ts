/** The path a kickstart request is replayed to, with one leading slash as kickstart/replay-requests.ts sends it. */
export function replayedPath(url: string): string {
  try {
    return new URL(`/${url.replace(/^\/+/, '')}`, 'http://kickstart').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

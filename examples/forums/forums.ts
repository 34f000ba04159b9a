import type { SeedAppOptions } from '../seed-app/create-seed-app.js';

export const FORUMS_CLIENT_ID = 'f0e0a5f0-0000-4000-8000-0000000f0e05';
export const FORUMS_SECRET = 'forums-demo-secret-change-me-0123456789';

/** The seed's second app: its posts are `/api/load-posts` (reference §1, steps 42–43). */
export function forumsOptions(base: Pick<SeedAppOptions, 'standinUrl' | 'issuer' | 'publicUrl' | 'now'>): SeedAppOptions {
  return {
    ...base,
    name: 'forums',
    title: 'Forums',
    clientId: FORUMS_CLIENT_ID,
    clientSecret: FORUMS_SECRET,
    dataPath: '/api/load-posts',
    loadData: (user) => ({ items: [`Posts for ${String(user.sub)}`, 'Welcome to the forums', 'SSO: you never typed a password here'] }),
  };
}

import type { SeedAppOptions } from '../seed-app/create-seed-app.js';

export const STORE_CLIENT_ID = '5e75f1b3-0000-4000-8000-000000005107';
export const STORE_SECRET = 'store-demo-secret-change-me-0123456789';

/** The seed's shopping-cart app: its cart is `/api/load-shopping-cart` (reference §1, steps 17–18). */
export function storeOptions(base: Pick<SeedAppOptions, 'standinUrl' | 'issuer' | 'publicUrl' | 'now'>): SeedAppOptions {
  return {
    ...base,
    name: 'store',
    title: 'Store',
    clientId: STORE_CLIENT_ID,
    clientSecret: STORE_SECRET,
    dataPath: '/api/load-shopping-cart',
    loadData: (user) => ({ items: [`Cart of ${String(user.sub)}`, '1 × Standin mug', '2 × Refresh token stickers'] }),
  };
}

/**
 * The package entry for clients: `import type { AppRouter } from 'openmor'` gives a tRPC client full
 * inference of the admin API. Types only (declarations emitted by `npm run build:types`).
 */
export type { AppRouter } from './admin/router.ts';

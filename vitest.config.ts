import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    exclude: ['test/runtime/**', 'node_modules/**'],
    // Each file owns a fresh database (PGlite in memory, or a throwaway Postgres database).
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

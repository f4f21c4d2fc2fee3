import { defineConfig } from 'vitest/config';

// Two projects: fast deterministic unit tests beside the code, and integration/e2e
// tests under test/ that start real emulators, real peers and real Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'server/src/**/*.test.ts',
            'shared/src/**/*.test.ts',
            'web/src/**/*.test.ts',
            'infra/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'infra/cdk.out/**'],
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          pool: 'forks',
          // Each file boots its own emulators on free ports; run files one by one on 2 cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

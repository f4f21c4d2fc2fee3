import { defineConfig } from 'vitest/config';

// Three projects: fast deterministic unit tests beside the code; the CDK stack's assertion
// tests (each synthesizes the whole stack, seconds apiece); and integration/e2e tests under
// test/ that start real emulators, real peers and real Chromium.
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
            // The test helpers' own tests (waiting, prerequisites): fast and deterministic.
            'test/support/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['infra/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'infra/cdk.out/**'],
          pool: 'threads',
          // A synthesis takes 1.5–4 s on an idle machine, longer under load: a bound, not a timing.
          testTimeout: 60_000,
          hookTimeout: 60_000,
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

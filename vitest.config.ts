import { defineConfig } from 'vitest/config';

// Four projects: fast deterministic unit tests beside the code; the CDK stack's assertion
// tests (each synthesizes the whole stack, seconds apiece); integration tests under
// test/integration that start real emulators and real peers; and browser tests under test/e2e
// in real Chromium, run after the rest.
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
          include: ['test/integration/**/*.test.ts'],
          pool: 'forks',
          // Each file boots its own emulators on free ports; run files one by one on 2 cores,
          // after unit and infra have finished.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // Bounds that turn a hang into a failure, far above any normal run; never timings.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          // Last, after the other tiers have finished: Chromium, a server and the emulators
          // already fill 2 cores.
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

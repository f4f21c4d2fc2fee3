// Local mode keeps its accounts in cognito-local's files under DATA_DIR. A stop that lands while
// the emulator is rewriting one of them must not cost the next start its accounts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backends } from '../../server/src/backends.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { startLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { freePort } from '../support/ports.js';

const logger = createLogger('silent');
const PASSWORD = 'correct-horse-9';
const USERS = Array.from({ length: 8 }, (_, i) => `keeper${i}`);
let dir: string;
let config: Config;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duel-restart-'));
  config = loadConfig({
    DATA_DIR: dir,
    LOCAL_DYNAMODB_PORT: String(await freePort()),
    LOCAL_COGNITO_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Logins rewrite the user pool's file (each stores a refresh token); stop while they run. */
async function stopDuringWrites(backends: Backends): Promise<void> {
  const logins = USERS.flatMap((u) => [0, 1, 2].map(() => backends.idp.login(u, PASSWORD)));
  let answered = 0;
  await new Promise<void>((resolve) => {
    for (const l of logins)
      void l.then(
        () => ++answered === 3 && resolve(),
        () => resolve(),
      );
  });
  await backends.close();
  await Promise.allSettled(logins);
}

describe('local mode restarted on the same DATA_DIR', () => {
  it('keeps every account when it was stopped in the middle of writes', async () => {
    const first = await startLocal(config, logger);
    for (const u of USERS) {
      await first.idp.signUp(u, PASSWORD);
      await first.idp.confirm(u);
    }
    await stopDuringWrites(first);

    for (let round = 0; round < 4; round++) {
      const again = await startLocal(config, logger);
      for (const u of USERS) await expect(again.idp.login(u, PASSWORD)).resolves.toBeTruthy();
      await stopDuringWrites(again);
    }
  }, 120_000);
});

// Real emulators (cognito-local, dynalite) on free ports in a temporary DATA_DIR, and platforms
// built on them in-process, for supertest. Nothing here is a mock.
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Backends } from '../../server/src/backends.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { startLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import type { RoomHost } from '../../server/src/match/room-host.js';
import { createPlatform, type Platform } from '../../server/src/platform.js';
import { freePort } from './ports.js';

export interface LocalStack {
  dataDir: string;
  backends: Backends;
  baseEnv: Record<string, string>;
  /**
   * A platform (app, services) on these emulators, with more settings, an optional clock, and
   * optional match rooms.
   */
  platform(
    env?: Record<string, string>,
    now?: () => number,
    host?: RoomHost,
  ): { platform: Platform; config: Config };
  /** The player item as stored, read back through the SDK (consistent read). */
  readPlayer(username: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

const logger = createLogger('silent');

export async function startLocalStack(): Promise<LocalStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'duel-test-'));
  const baseEnv = {
    DATA_DIR: dataDir,
    LOCAL_DYNAMODB_PORT: String(await freePort()),
    LOCAL_COGNITO_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    // Generous limits unless a test is about limits.
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    RATE_LIMIT_USER_PER_MINUTE: '100000',
    RATE_LIMIT_USER_IP_PER_MINUTE: '100000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
    RATE_LIMIT_SIGNAL_PER_MINUTE: '100000',
    RATE_LIMIT_AUTHED_PER_MINUTE: '100000',
  };
  const backends = await startLocal(loadConfig(baseEnv), logger);
  const platforms: Platform[] = [];
  return {
    dataDir,
    backends,
    baseEnv,
    async readPlayer(username) {
      const doc = DynamoDBDocumentClient.from(backends.dynamo);
      const out = await doc.send(
        new GetCommand({ TableName: 'players', Key: { username }, ConsistentRead: true }),
      );
      return out.Item;
    },
    platform(env = {}, now, host) {
      const config = loadConfig({ ...baseEnv, ...env });
      const platform = createPlatform({
        config,
        logger,
        backends,
        ...(now ? { now } : {}),
        ...(host ? { host } : {}),
      });
      platforms.push(platform);
      return { platform, config };
    },
    async close() {
      await Promise.all(platforms.map((p) => p.close()));
      await backends.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A username no other test uses. */
export const uniqueName = (prefix = 'p') => `${prefix}${randomBytes(5).toString('hex')}`;

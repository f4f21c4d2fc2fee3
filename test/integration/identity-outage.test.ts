// Cognito out of reach: the platform answers 503 identity_unavailable, never 500. The identity
// adapter is the real one, pointed at a port where nothing listens; DynamoDB is the emulator.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../server/src/auth/cognito.js';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/logger.js';
import { createPlatform, type Platform } from '../../server/src/platform.js';
import { PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';
import { freePort } from '../support/ports.js';

let stack: LocalStack;
let platform: Platform;
const logger = createLogger('silent');

beforeAll(async () => {
  stack = await startLocalStack();
  const dead = new CognitoIdentity(
    {
      userPoolId: 'us-east-1_Dead0',
      clientId: 'deadclient',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${await freePort()}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      globalSignOut: false,
    },
    logger,
  );
  platform = createPlatform({
    config: loadConfig(stack.baseEnv),
    logger,
    backends: { ...stack.backends, idp: dead },
  });
});
afterAll(async () => {
  await platform.close();
  await stack.close();
});

const expect503 = (res: request.Response) => {
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe('identity_unavailable');
};

describe('Cognito does not answer', () => {
  it('login answers 503 identity_unavailable', async () => {
    const res = await request(platform.app)
      .post('/api/auth/login')
      .send({ username: uniqueName(), password: PASSWORD });
    expect503(res);
  });

  it('sign-up answers 503 identity_unavailable', async () => {
    const res = await request(platform.app)
      .post('/api/auth/signup')
      .send({ username: uniqueName(), password: PASSWORD });
    expect503(res);
  });

  it('refresh answers 503 identity_unavailable', async () => {
    const res = await request(platform.app)
      .post('/api/auth/refresh')
      .send({ username: uniqueName(), refreshToken: 'some-refresh-token' });
    expect503(res);
  });

  it('/readyz answers 503 naming cognito', async () => {
    const res = await request(platform.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('cognito');
  });
});

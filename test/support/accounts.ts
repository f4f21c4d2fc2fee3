// Accounts for REST tests: sign up and log in through the API, optionally as an admin
// (promoted at the real Cognito emulator before the login, as `npm run admin -- promote` does).
import request from 'supertest';
import type { IdentityProvider } from '../../server/src/auth/identity.js';
import { uniqueName } from './local-stack.js';

export const PASSWORD = 'correct horse';

export interface Account {
  name: string;
  token: string;
  auth: { authorization: string };
}

export async function account(
  app: Parameters<typeof request>[0],
  o: { admin?: { idp: Pick<IdentityProvider, 'addToGroup'> }; prefix?: string } = {},
): Promise<Account> {
  const name = uniqueName(o.prefix);
  await request(app)
    .post('/api/auth/signup')
    .send({ username: name, password: PASSWORD })
    .expect(201);
  if (o.admin) await o.admin.idp.addToGroup(name, 'admin');
  const res = await request(app)
    .post('/api/auth/login')
    .send({ username: name, password: PASSWORD })
    .expect(200);
  const token = String(res.body.accessToken);
  return { name, token, auth: { authorization: `Bearer ${token}` } };
}

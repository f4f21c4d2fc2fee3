// An admin for the browser tests: signed up through the API, promoted at the server's own
// Cognito emulator (as `npm run admin -- promote` does), then logged in.
import { loadConfig } from '../../server/src/config.js';
import { attachLocal } from '../../server/src/local/index.js';
import { createLogger } from '../../server/src/logger.js';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { uniqueName } from '../support/local-stack.js';
import type { ServerProcess } from '../support/server-process.js';

export async function adminToken(server: ServerProcess): Promise<string> {
  const api = new ApiClient(server.url);
  const name = uniqueName('adm');
  await api.signup(name, 'admin password');
  const cognito = await attachLocal(loadConfig(server.env), createLogger('silent'));
  try {
    await cognito.idp.addToGroup(name, 'admin');
  } finally {
    await cognito.close();
  }
  return (await api.login(name, 'admin password')).accessToken;
}

/** POST /api/admin/matches/:id/end. */
export async function endMatch(server: ServerProcess, token: string, matchId: string) {
  const res = await fetch(`${server.url}/api/admin/matches/${encodeURIComponent(matchId)}/end`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 204) throw new Error(`end match: HTTP ${res.status} ${await res.text()}`);
}

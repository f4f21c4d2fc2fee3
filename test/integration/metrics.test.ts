// GET /metrics against real emulators: the Prometheus format, latency labelled by route
// pattern (never a raw URL), logins by outcome, one registry per platform, and METRICS_PORT
// taking /metrics off the public port. The rooms' metrics are in admin-live.test.ts.
import request from 'supertest';
import { decode } from '../support/jwt.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsApp } from '../../server/src/metrics/http.js';
import { account, PASSWORD } from '../support/accounts.js';
import { startLocalStack, uniqueName, type LocalStack } from '../support/local-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.close());

const scrape = async (app: Parameters<typeof request>[0]) =>
  (await request(app).get('/metrics').expect(200)).text;

/** The value of one series, or undefined when it is absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('answers the Prometheus text format, with process metrics', async () => {
    const { app } = stack.platform().platform;
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE duel_http_request_duration_seconds histogram');
    expect(value(res.text, 'duel_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('labels latency with the route pattern, not the URL', async () => {
    const { app } = stack.platform().platform;
    const a = await account(app);
    const b = await account(app);
    await request(app).get(`/api/players/${a.name}`).expect(200);
    await request(app).get(`/api/players/${b.name}`).expect(200);
    await request(app).get('/api/no-such-route').expect(404);
    await request(app).get('/api/me').set(a.auth).expect(200);
    const text = await scrape(app);
    const series = (route: string, status: number) =>
      `duel_http_request_duration_seconds_count{method="GET",route="${route}",status="${status}"}`;
    expect(value(text, series('/api/players/:username', 200))).toBe(2);
    expect(value(text, series('/api/me', 200))).toBe(1);
    expect(value(text, series('unmatched', 404))).toBe(1);
    expect(text).not.toContain(a.name);
    expect(text).not.toContain('no-such-route');
  });

  it('labels a route that failed with its pattern too', async () => {
    const { app } = stack.platform().platform;
    await request(app).get('/api/players/x').expect(400);
    expect(
      value(
        await scrape(app),
        'duel_http_request_duration_seconds_count{method="GET",route="/api/players/:username",status="400"}',
      ),
    ).toBe(1);
  });

  it('counts logins by outcome: ok or the error code', async () => {
    const { app, players } = stack.platform().platform;
    const name = uniqueName();
    await request(app).post('/api/auth/signup').send({ username: name, password: PASSWORD });
    const login = (username: string, password: string) =>
      request(app).post('/api/auth/login').send({ username, password });
    await login(name, 'not the password').expect(401);
    await login(uniqueName(), PASSWORD).expect(401);
    await login('x', PASSWORD).expect(400);
    const ok = await login(name, PASSWORD).expect(200);
    // Busy (as queueing records it), the session is not taken over: 409.
    const jti = String(decode(ok.body.accessToken).payload.jti);
    await players.markQueued(name, jti, 'a-ticket', Date.now());
    await login(name, PASSWORD).expect(409);
    const text = await scrape(app);
    expect(value(text, 'duel_logins_total{outcome="ok"}')).toBe(1);
    expect(value(text, 'duel_logins_total{outcome="wrong_password"}')).toBe(1);
    expect(value(text, 'duel_logins_total{outcome="unknown_user"}')).toBe(1);
    expect(value(text, 'duel_logins_total{outcome="invalid_input"}')).toBe(1);
    expect(value(text, 'duel_logins_total{outcome="already_logged_in"}')).toBe(1);
  });

  it('keeps one registry per platform: two apps in one process count apart', async () => {
    const one = stack.platform().platform;
    const two = stack.platform().platform;
    await request(one.app).get('/healthz').expect(200);
    await request(one.app).get('/healthz').expect(200);
    const series =
      'duel_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"}';
    expect(value(await scrape(one.app), series)).toBe(2);
    expect(value(await scrape(two.app), series)).toBeUndefined();
  });

  it('with METRICS_PORT set, is not on the public port but on its own listener', async () => {
    const { platform } = stack.platform({ METRICS_PORT: '9464' });
    const res = await request(platform.app).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const text = await scrape(metricsApp(platform.metrics));
    expect(text).toContain('duel_http_request_duration_seconds');
  });
});

// The tick-lag gauge the TickLag alarm watches: the real server as a process, two real bots
// in a real match over WebRTC, and /metrics polled (with a deadline) until the rooms' ticks
// show up in it, under the very name and labels the CloudWatch agent selects in infra/.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentConfig, TICK_LAG_METRIC } from '../../infra/lib/cloudwatch-agent.js';
import { bot } from '../support/bots.js';
import { uniqueName } from '../support/local-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  // The shortest match the settings allow, so the match ends on its own.
  server = await startServer({ MATCH_SECONDS: '10' });
});
afterAll(() => server.stop());

/** The metric selector the agent ships to CloudWatch (the only series the alarm can see). */
function agentSelector(): RegExp {
  const config = JSON.parse(
    agentConfig({ logDir: '/l', logGroupName: 'g', metricsLogGroupName: 'm' }),
  ) as {
    logs: {
      metrics_collected: {
        prometheus: { emf_processor: { metric_declaration: { metric_selectors: string[] }[] } };
      };
    };
  };
  const [declaration] = config.logs.metrics_collected.prometheus.emf_processor.metric_declaration;
  const [selector] = declaration?.metric_selectors ?? [];
  if (!selector) throw new Error('the agent config selects no metric');
  return new RegExp(selector);
}

/** Quantile -> value of one gauge in a Prometheus text page. */
function quantiles(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  const line = new RegExp(`^${name}\\{quantile="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const [, quantile, value] of text.matchAll(line)) found.set(quantile!, Number(value));
  return found;
}

describe('duel_room_tick_lag_milliseconds', () => {
  it('is the series the agent ships, fed by the ticks of a running match', async () => {
    expect(agentSelector().test(TICK_LAG_METRIC)).toBe(true);
    const bots = [uniqueName('la'), uniqueName('lb')].map((n) => bot(server.url, n, 60));
    await Promise.all(bots.map((b) => b.started));

    const page = await request(server.url).get('/metrics').expect(200);
    expect(page.text).toContain(`# TYPE ${TICK_LAG_METRIC} gauge`);
    // Ticks start a little after their due time on any real timer, so once the match has
    // ticked the window's maximum is above zero; an unfed gauge stays at 0.
    const lag = await vi.waitFor(
      async () => {
        const text = (await request(server.url).get('/metrics').expect(200)).text;
        const q = quantiles(text, TICK_LAG_METRIC);
        expect(q.get('1')).toBeGreaterThan(0);
        return q;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect([...lag.keys()].sort()).toEqual(['0.5', '0.99', '1']);
    const [p50, p99, max] = ['0.5', '0.99', '1'].map((k) => lag.get(k) ?? Number.NaN);
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p99).toBeGreaterThanOrEqual(p50!);
    expect(max).toBeGreaterThanOrEqual(p99!);

    // The match ends at its time limit; both bots play it through.
    const results = await Promise.all(bots.map((b) => b.result));
    expect(results.map((r) => r.result)).toEqual(['ended', 'ended']);
  });
});

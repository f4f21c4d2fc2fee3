import { Router } from 'express';
import { errorBody } from '../errors.js';

export interface Probe {
  name: string;
  check: () => Promise<void>;
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref(),
    ),
  ]);

/** /healthz: the process is alive. /readyz: every dependency answers (else 503). */
export function healthRoutes(probes: readonly Probe[], timeoutMs = 2000): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (req, res) => {
    const results = await Promise.allSettled(probes.map((p) => within(p.check(), timeoutMs)));
    const down = probes.filter((_, i) => results[i]?.status === 'rejected').map((p) => p.name);
    if (down.length === 0) {
      res.json({ status: 'ready', checks: Object.fromEntries(probes.map((p) => [p.name, 'ok'])) });
      return;
    }
    results.forEach((r, i) => {
      if (r.status === 'rejected')
        req.log.warn({ err: r.reason, probe: probes[i]?.name }, 'readiness probe failed');
    });
    res.status(503).json(errorBody('service_unavailable', `Not answering: ${down.join(', ')}.`));
  });
  return r;
}

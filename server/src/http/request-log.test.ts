// The request log on a bare Express app: what each request writes, at which level, and req.log.
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { requestLog } from './request-log.js';

type Line = Record<string, unknown> & { msg?: string; level: number };

/** An app whose log lines are kept, parsed, in `lines`; `wrote` resolves at each new one. */
function logged(level: string) {
  const lines: Line[] = [];
  let wrote = () => undefined as void;
  const logger = pino(
    { level, base: undefined },
    {
      write: (s: string) => {
        lines.push(JSON.parse(s) as Line);
        wrote();
      },
    },
  );
  const next = () => new Promise<void>((resolve) => (wrote = resolve));
  const app = express();
  app.use(requestLog(app, logger, ['/healthz']));
  const api = Router();
  api.get('/me', (req, res) => {
    req.log.info({ seen: true }, 'handler here');
    res.json({ ok: true });
  });
  app.use('/api', api);
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/broken', (_req, res) => void res.status(503).json({}));
  app.get('/same-logger', (req, res) => void res.json({ same: req.log === req.log }));
  app.get('/hang', () => undefined);
  return { app, lines, next };
}

describe('requestLog', () => {
  it('gives every request its own id, sent back as X-Request-Id', async () => {
    const { app } = logged('silent');
    const [a, b] = await Promise.all([request(app).get('/healthz'), request(app).get('/healthz')]);
    expect(a?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.headers['x-request-id']).not.toBe(b?.headers['x-request-id']);
  });

  it('logs a completed request with its full path, status and time; req.log is bound to it', async () => {
    const { app, lines } = logged('info');
    const res = await request(app).get('/api/me?x=1');
    const id = res.headers['x-request-id'] as string;
    const req = { id, method: 'GET', url: '/api/me?x=1' };
    // The line is written as the response closes on the server, which may follow the client's read.
    await vi.waitFor(() => expect(lines).toHaveLength(2));
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'handler here', seen: true, req }),
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req,
        res: { status: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('makes req.log once per request', async () => {
    const { app } = logged('info');
    expect((await request(app).get('/same-logger')).body).toEqual({ same: true });
  });

  it('logs a 5xx at error even where info is off, and nothing else there', async () => {
    const { app, lines } = logged('warn');
    await request(app).get('/api/me');
    await request(app).get('/broken');
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', res: { status: 503 } }),
    ]);
  });

  it('leaves out the quiet paths when they succeed', async () => {
    const { app, lines } = logged('info');
    await request(app).get('/healthz');
    await request(app).get('/api/me');
    await vi.waitFor(() => expect(lines).toHaveLength(2));
    expect(lines.map((l) => (l.req as { url: string }).url)).toEqual(['/api/me', '/api/me']);
  });

  it('says so when the client leaves before the answer', async () => {
    const { app, lines, next } = logged('info');
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const logged = next();
      const req = httpRequest({ port: (server.address() as AddressInfo).port, path: '/hang' });
      req.on('error', () => undefined);
      req.end();
      // Aborted once the server has the request (its connection is open and the handler ran).
      await once(server, 'request');
      req.destroy();
      await logged;
      expect(lines).toEqual([
        expect.objectContaining({ level: 30, msg: 'request aborted', req: expect.anything() }),
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

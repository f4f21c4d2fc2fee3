// Requests that Node's HTTP parser refuses before any route sees them get the platform's error
// shape too: the real server process (main.ts), spoken to over a raw socket.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

/** Writes `raw` and reads until the server closes the connection. */
function exchange(raw: string): Promise<string> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(raw));
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (got += chunk));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

function parse(response: string): { status: number; type: string; body: unknown } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const [statusLine = '', ...headers] = head.split('\r\n');
  const type = headers.find((h) => /^content-type:/i.test(h)) ?? '';
  return { status: Number(statusLine.split(' ')[1]), type, body: JSON.parse(body) as unknown };
}

describe('a request the HTTP parser refuses', () => {
  it.each([
    ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n'],
    ['a header name with a space', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n'],
    [
      'a control character in a header value',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n',
    ],
    [
      'a chunked body with a bad chunk size',
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    ],
  ])('%s is 400 malformed_request with a JSON body', async (_name, raw) => {
    const res = parse(await exchange(raw));
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: { code: 'malformed_request', message: expect.any(String) as unknown },
    });
  });

  it('headers over the limit are 431 headers_too_large', async () => {
    const raw = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const res = parse(await exchange(raw));
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ error: { code: 'headers_too_large' } });
  });

  it('leaves the server answering normal requests', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

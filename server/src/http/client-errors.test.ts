import { describe, expect, it } from 'vitest';
import { clientErrorResponse } from './client-errors.js';

const err = (code: string) => Object.assign(new Error(code), { code });

describe('the answer to an HTTP parser refusal', () => {
  it.each([
    ['HPE_INVALID_METHOD', 400, 'malformed_request'],
    ['HPE_HEADER_OVERFLOW', 431, 'headers_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout'],
  ])('%s is %i %s, JSON, with a matching Content-Length', (code, status, registry) => {
    const raw = clientErrorResponse(err(code));
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(head).toContain('Connection: close');
    expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe(registry);
  });
});

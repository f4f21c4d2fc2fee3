// The shared limits are the one source of each number: every copy that cannot import them
// (documents, the OpenAPI file) or that another module owns is checked against them here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  BODY_MAX_BYTES,
  kilobytes,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  SDP_MAX_BYTES,
  SDP_MAX_CANDIDATES,
} from '../../shared/src/limits.js';
import { credentials } from './auth/schemas.js';
import { ERRORS } from './errors.js';
import { MAX_CANDIDATES, MAX_SDP_BYTES } from './transport/sdp.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const errorRow = (code: string) =>
  read('docs/errors.md')
    .split('\n')
    .find((l) => l.startsWith(`| \`${code}\``)) ?? '';

describe('the shared limits', () => {
  it('are the transport checks of an offer', () => {
    expect(MAX_SDP_BYTES).toBe(SDP_MAX_BYTES);
    expect(MAX_CANDIDATES).toBe(SDP_MAX_CANDIDATES);
  });

  it('are the password schema', () => {
    const long = 'x'.repeat(PASSWORD_MAX_LENGTH);
    expect(credentials.safeParse({ username: 'abc', password: long }).success).toBe(true);
    expect(credentials.safeParse({ username: 'abc', password: `${long}x` }).success).toBe(false);
  });

  it('are in the registry messages and docs/errors.md', () => {
    expect(ERRORS.weak_password.message).toContain(`${PASSWORD_MIN_LENGTH} characters`);
    expect(errorRow('weak_password')).toContain(`${PASSWORD_MIN_LENGTH} characters`);
    expect(errorRow('too_many_candidates')).toContain(`${SDP_MAX_CANDIDATES} ICE candidates`);
    expect(errorRow('sdp_too_large')).toContain(kilobytes(SDP_MAX_BYTES));
    expect(errorRow('payload_too_large')).toContain(kilobytes(BODY_MAX_BYTES));
  });

  it('are in docs/api.md and docs/openapi.yaml', () => {
    const api = read('docs/api.md');
    expect(api).toContain(`A password is ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH}`);
    expect(api).toContain(`≤ ${kilobytes(SDP_MAX_BYTES)}, ≤ ${SDP_MAX_CANDIDATES} candidates`);
    const openapi = read('docs/openapi.yaml');
    const doc = parseYaml(openapi) as {
      components: { schemas: { Credentials: { properties: { password: object } } } };
    };
    expect(doc.components.schemas.Credentials.properties.password).toMatchObject({
      minLength: PASSWORD_MIN_LENGTH,
      maxLength: PASSWORD_MAX_LENGTH,
    });
    expect(openapi).toContain(`≤ ${kilobytes(SDP_MAX_BYTES)}, ≤ ${SDP_MAX_CANDIDATES} candidates`);
  });

  it('are in the web client’s sentences (web/src/api.ts, owned by the web layer)', () => {
    const sentences = read('web/src/api.ts').match(/at least \d+ characters/g) ?? [];
    expect(sentences.length).toBeGreaterThan(0);
    for (const s of sentences) expect(s).toBe(`at least ${PASSWORD_MIN_LENGTH} characters`);
  });

  it('are in the pool docs (architecture, deployment)', () => {
    expect(read('docs/architecture.md')).toContain(`${PASSWORD_MIN_LENGTH}-character minimum`);
    expect(read('docs/deployment.md')).toMatch(
      new RegExp(`password policy is ${PASSWORD_MIN_LENGTH}\\b`),
    );
  });
});

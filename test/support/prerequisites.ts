// The machine parts some tests need (Chromium, Redis, redis-server, coturn). On a developer's
// machine a missing part skips those tests with a visible note; in CI (`CI=true`, as .ci/run
// sets it) a missing part is a failure, so a green CI run always means every tier ran.

/** True when running under CI (`CI=true` or `CI=1`). */
export const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/**
 * Returns `present`. When the part is missing: throws in CI (the test file fails), otherwise
 * warns once on stderr and returns false, for `describe.skipIf(!…)`.
 */
export function requirePart(
  present: boolean,
  part: string,
  howToGet: string,
  ci: boolean = inCI,
): boolean {
  if (present) return true;
  const why = `${part} is not available (${howToGet})`;
  if (ci) throw new Error(`${why}; in CI (CI=true) that is a failure, not a skip`);
  console.warn(`${why}: the tests that need it are skipped.`);
  return false;
}

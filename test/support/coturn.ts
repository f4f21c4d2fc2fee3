// coturn for the relay tests: where Debian's `turnserver` is, and the rule every part follows
// (test/support/prerequisites.ts): missing on a developer's machine, the relay tests skip with
// a note; missing in CI (`CI=true`), they fail. Starting a relay is the relay test's own job.
import { existsSync } from 'node:fs';
import { requirePart } from './prerequisites.js';

/** Debian's coturn binary (`apt-get install coturn`). */
export const turnserverPath = (): string => '/usr/bin/turnserver';

/**
 * True when coturn is installed; false (with a note) when it is not, outside CI; throws in CI.
 * Use as `describe.skipIf(!requireTurnserver())(…)`.
 */
export const requireTurnserver = (): boolean =>
  requirePart(
    existsSync(turnserverPath()),
    `coturn (${turnserverPath()})`,
    'apt-get install coturn',
  );

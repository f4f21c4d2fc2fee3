import { describe, expect, it } from 'vitest';
import { waitFor, withDeadline } from './wait.js';

describe('waitFor', () => {
  it('returns the first value the probe gives that is not undefined, null or false', async () => {
    let calls = 0;
    const probe = () => (++calls < 3 ? (calls === 1 ? undefined : false) : { calls });
    expect(await waitFor(probe, { intervalMs: 1 })).toEqual({ calls: 3 });
  });

  it('retries a probe that throws', async () => {
    let calls = 0;
    const probe = () => {
      if (++calls < 2) throw new Error('not yet');
      return 'ok';
    };
    expect(await waitFor(probe, { intervalMs: 1 })).toBe('ok');
  });

  it('fails past the deadline, naming what it waited for and what it last saw', async () => {
    await expect(
      waitFor(() => Promise.reject(new Error('connection refused')), {
        deadlineMs: 0,
        what: 'the metric',
      }),
    ).rejects.toThrow('waitFor: the metric not met in time (last: connection refused)');
  });
});

describe('withDeadline', () => {
  it('passes a settled promise through', async () => {
    expect(await withDeadline(Promise.resolve(7), 1_000, 'seven')).toBe(7);
  });

  it('rejects, naming what, when the promise has not settled by the deadline', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 1, 'the exit')).rejects.toThrow('the exit: not within 1 ms');
  });
});

import { describe, expect, it } from 'vitest';
import {
  CALM_BUSY,
  CALM_SECONDS,
  OVERLOAD_BUSY,
  OVERLOAD_SECONDS,
  OverloadGuard,
  scheduleRealtime,
  scheduleThreads,
  type Chrt,
} from './priority.js';

/** A chrt that records its calls and refuses as the OS would for the tids in `refuse`. */
function fakeChrt(refuse: readonly number[] = []) {
  const calls: string[] = [];
  const chrt: Chrt = (args) => {
    const tid = Number(args[args.length - 1]);
    if (refuse.includes(tid)) {
      throw Object.assign(new Error('Command failed'), {
        status: 1,
        stderr: `chrt: failed to set pid ${tid}'s policy: Operation not permitted`,
      });
    }
    calls.push(args.join(' '));
  };
  return { chrt, calls };
}

// Live tids, so that a refusal is not mistaken for a thread that ended.
const self = process.pid;

describe('scheduleThreads', () => {
  it('sets each thread SCHED_FIFO with reset-on-fork, or back to SCHED_OTHER', () => {
    const { chrt, calls } = fakeChrt();
    expect(scheduleThreads([self], 3, chrt)).toEqual({ priority: 3, threads: 1 });
    expect(scheduleThreads([self], 0, chrt)).toEqual({ priority: 0, threads: 1 });
    expect(calls).toEqual([`--fifo --reset-on-fork --pid 3 ${self}`, `--other --pid 0 ${self}`]);
  });

  it('on a refusal puts back the threads it had set and says why', () => {
    const { chrt, calls } = fakeChrt([1]); // pid 1 exists: a refusal, not a thread gone
    const outcome = scheduleThreads([self, 1], 1, chrt);
    expect(outcome).toEqual({ priority: 1, threads: 0, refused: 'EPERM' });
    expect(calls).toEqual([`--fifo --reset-on-fork --pid 1 ${self}`, `--other --pid 0 ${self}`]);
  });

  it('skips a thread that ended meanwhile', () => {
    const gone = 2 ** 22 + 1; // above Linux's pid_max: no such task
    const { chrt } = fakeChrt([gone]);
    expect(scheduleThreads([gone, self], 1, chrt)).toEqual({ priority: 1, threads: 1 });
  });

  it('says when the host has no chrt', () => {
    const chrt: Chrt = () => {
      throw Object.assign(new Error('spawnSync chrt ENOENT'), { code: 'ENOENT' });
    };
    expect(scheduleThreads([self], 1, chrt).refused).toMatch(/^ENOENT/);
  });
});

describe('OverloadGuard', () => {
  it('gives real-time up after OVERLOAD_SECONDS busy seconds in a row, not fewer', () => {
    const g = new OverloadGuard();
    for (let i = 1; i < OVERLOAD_SECONDS; i++) expect(g.observe(OVERLOAD_BUSY)).toBeUndefined();
    expect(g.observe(0.1)).toBeUndefined(); // the run is broken
    for (let i = 1; i < OVERLOAD_SECONDS; i++) expect(g.observe(1)).toBeUndefined();
    expect(g.observe(1)).toBe('demote');
    expect(g.demoted).toBe(true);
  });

  it('takes it back after CALM_SECONDS calm seconds in a row', () => {
    const g = new OverloadGuard();
    for (let i = 0; i < OVERLOAD_SECONDS; i++) g.observe(1);
    for (let i = 1; i < CALM_SECONDS; i++) expect(g.observe(CALM_BUSY)).toBeUndefined();
    expect(g.observe(CALM_BUSY + 0.1)).toBeUndefined(); // busy again: the run starts over
    for (let i = 1; i < CALM_SECONDS; i++) expect(g.observe(0)).toBeUndefined();
    expect(g.observe(0)).toBe('restore');
    expect(g.demoted).toBe(false);
  });

  it('never acts under a steady load below the overload', () => {
    const g = new OverloadGuard();
    for (let i = 0; i < 100; i++) expect(g.observe(OVERLOAD_BUSY - 0.01)).toBeUndefined();
  });
});

describe('scheduleRealtime', () => {
  /** A room process whose main thread is as busy as `load` says, second by second. */
  function roomProcess(refuse: readonly number[] = []) {
    const { chrt, calls } = fakeChrt(refuse);
    const logs: string[] = [];
    let tick = () => {};
    let load = 0;
    const outcome = scheduleRealtime(1, [self], {
      chrt,
      log: (level, _obj, msg) => logs.push(`${level}: ${msg}`),
      busy: () => load,
      everySecond: (fn) => (tick = fn),
    });
    const seconds = (n: number, busy: number) => {
      load = busy;
      for (let i = 0; i < n; i++) tick();
    };
    return { outcome, calls, logs, seconds };
  }

  it('goes real-time, gives it up when overloaded and takes it back once calm', () => {
    const p = roomProcess();
    expect(p.outcome).toEqual({ priority: 1, threads: 1 });
    p.seconds(60, 0.3); // a normal load: nothing changes
    expect(p.calls).toEqual([`--fifo --reset-on-fork --pid 1 ${self}`]);
    p.seconds(OVERLOAD_SECONDS, 0.97);
    expect(p.calls.at(-1)).toBe(`--other --pid 0 ${self}`);
    expect(p.logs.at(-1)).toMatch(/^warn: room process overloaded/);
    p.seconds(CALM_SECONDS, 0.2);
    expect(p.calls.at(-1)).toBe(`--fifo --reset-on-fork --pid 1 ${self}`);
    expect(p.logs.at(-1)).toMatch(/^info: room process calm again/);
    expect(p.calls).toHaveLength(3);
  });

  it('refuses where it finds no threads (an OS without /proc), instead of claiming them', () => {
    const { chrt, calls } = fakeChrt();
    const logs: string[] = [];
    const outcome = scheduleRealtime(1, [], { chrt, log: (level) => logs.push(level) });
    expect(outcome).toMatchObject({ threads: 0, refused: expect.stringMatching(/proc/) });
    expect(logs).toEqual(['warn']);
    expect(calls).toEqual([]);
  });

  it('says once why it keeps normal scheduling, and watches nothing', () => {
    const p = roomProcess([self]);
    expect(p.outcome.refused).toBe('EPERM');
    expect(p.logs).toEqual([expect.stringMatching(/^warn: room process keeps normal scheduling/)]);
    p.seconds(OVERLOAD_SECONDS + CALM_SECONDS, 1);
    expect(p.calls).toEqual([]);
  });
});

// The match's connection across a drop: frames reach the screen from whichever link is
// current, a drop asks for one new link however many ways it is noticed, and a closed screen
// neither rejoins nor keeps a link it got too late.
import { describe, expect, it, vi } from 'vitest';
import { MatchLink, type MatchLinkEvents } from './match-link.js';
import type { Link } from './peer.js';

/** A link whose peer connection and control channel are plain event targets. */
function fakeLink(name: string) {
  const pc = Object.assign(new EventTarget(), { connectionState: 'connected' });
  const control = Object.assign(new EventTarget(), { readyState: 'open' });
  const sent: string[] = [];
  let sinks: { control(b: Uint8Array): void; state(b: Uint8Array): void } | undefined;
  const link = {
    pc,
    control,
    state: new EventTarget(),
    closed: false,
    attach: (c: (b: Uint8Array) => void, s: (b: Uint8Array) => void) =>
      void (sinks = { control: c, state: s }),
    sendControl: (b: Uint8Array) => void sent.push(`${name} control ${b[0]}`),
    sendState: (b: Uint8Array) => void sent.push(`${name} state ${b[0]}`),
    close() {
      link.closed = true;
    },
  };
  return Object.assign(link as typeof link & Link, {
    sent,
    /** A frame from the server. */
    frame: (kind: 'control' | 'state', byte: number) => sinks?.[kind](new Uint8Array([byte])),
    /** The control channel closes under the page (the server or the network went). */
    drop() {
      control.readyState = 'closed';
      control.dispatchEvent(new Event('close'));
      pc.connectionState = 'failed';
      pc.dispatchEvent(new Event('connectionstatechange'));
    },
  });
}

function setup() {
  const seen: string[] = [];
  const asks: { signal: AbortSignal; give(l: Link): void; refuse(e: Error): void }[] = [];
  const rejoin = (signal: AbortSignal) =>
    new Promise<Link>((give, refuse) => asks.push({ signal, give, refuse }));
  const events: MatchLinkEvents = {
    onControl: (b) => void seen.push(`control ${b[0]}`),
    onState: (b) => void seen.push(`state ${b[0]}`),
    onDrop: () => void seen.push('drop'),
    onBack: () => void seen.push('back'),
    onGone: (e) => void seen.push(`gone ${(e as Error).message}`),
  };
  const first = fakeLink('first');
  const link = new MatchLink(first, rejoin, events);
  link.start();
  return { link, first, seen, asks };
}

/** Lets the settled rejoin promise's callbacks run (no time passes). */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('MatchLink', () => {
  it('routes frames both ways through the first link', () => {
    const { link, first, seen } = setup();
    first.frame('control', 1);
    first.frame('state', 2);
    link.sendControl(new Uint8Array([3]));
    link.sendState(new Uint8Array([4]));
    expect(seen).toEqual(['control 1', 'state 2']);
    expect(first.sent).toEqual(['first control 3', 'first state 4']);
  });

  it('a drop closes the old link, asks for one new link, and carries on through it', async () => {
    const { link, first, seen, asks } = setup();
    first.drop(); // noticed twice: the channel closed and the connection failed
    link.dropped(); // and a third time: the server went silent
    expect(first.closed).toBe(true);
    expect(asks).toHaveLength(1);
    expect(seen).toEqual(['drop']);
    const second = fakeLink('second');
    asks[0]!.give(second);
    await settle();
    expect(seen).toEqual(['drop', 'back']);
    second.frame('state', 7);
    first.frame('state', 8); // the old link has nothing more to say
    link.sendState(new Uint8Array([9]));
    expect(seen.slice(2)).toEqual(['state 7']);
    expect(second.sent).toEqual(['second state 9']);
    expect(first.sent).toEqual([]);
  });

  it('a cut link is silent both ways until it is replaced', async () => {
    const { link, first, seen, asks } = setup();
    link.cutOff();
    first.frame('state', 1);
    link.sendState(new Uint8Array([2]));
    expect(seen).toEqual([]);
    expect(first.sent).toEqual([]);
    link.dropped();
    const second = fakeLink('second');
    asks[0]!.give(second);
    await settle();
    second.frame('state', 3);
    link.sendState(new Uint8Array([4]));
    expect(seen).toEqual(['drop', 'back', 'state 3']);
    expect(second.sent).toEqual(['second state 4']);
  });

  it('a rejoin that fails says so once', async () => {
    const { first, seen, asks } = setup();
    first.drop();
    asks[0]!.refuse(new Error('not_found'));
    await settle();
    expect(seen).toEqual(['drop', 'gone not_found']);
  });

  it('closed mid-rejoin: the rejoin is aborted and a link that comes anyway is closed', async () => {
    const { link, first, seen, asks } = setup();
    first.drop();
    link.close();
    expect(asks[0]!.signal.aborted).toBe(true);
    const late = fakeLink('late');
    asks[0]!.give(late);
    await settle();
    expect(late.closed).toBe(true);
    expect(seen).toEqual(['drop']);
    link.dropped();
    expect(asks).toHaveLength(1);
  });

  it('closing waits the delay before closing the link, and ignores its drop', () => {
    vi.useFakeTimers();
    try {
      const { link, first, seen, asks } = setup();
      link.close(250);
      vi.advanceTimersByTime(249);
      expect(first.closed).toBe(false);
      first.drop();
      expect(asks).toHaveLength(0);
      vi.advanceTimersByTime(1);
      expect(first.closed).toBe(true);
      expect(seen).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

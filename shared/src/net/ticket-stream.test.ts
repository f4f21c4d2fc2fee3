// The resumable ticket stream against a scripted server (a fetch behind the real ApiClient):
// reconnects with Last-Event-ID after a break or an early end, stops at a refusal, gives up.
import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client.js';
import { awaitVerdict } from './ticket-stream.js';

type Reply = string[] | 'break' | 'unreachable' | number;

/** A server that answers the n-th events request with `replies[n]`: SSE blocks, or a failure. */
function scripted(replies: Reply[]) {
  const lastIds: (string | null)[] = [];
  const fetchFn: typeof fetch = (_input, init) => {
    lastIds.push(new Headers(init?.headers).get('last-event-id'));
    const reply = replies.shift() ?? 'unreachable';
    if (reply === 'unreachable') return Promise.reject(new TypeError('fetch failed'));
    if (typeof reply === 'number')
      return Promise.resolve(
        Response.json(
          { error: { code: 'not_found', message: 'No such ticket.' } },
          { status: reply },
        ),
      );
    const enc = new TextEncoder();
    const blocks = reply === 'break' ? [] : reply;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of blocks) c.enqueue(enc.encode(b));
        if (reply === 'break') c.error(new TypeError('terminated'));
        else c.close();
      },
    });
    return Promise.resolve(
      new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    );
  };
  return { api: new ApiClient('http://duel.test', fetchFn), lastIds };
}

const waiting = 'id: waiting\nevent: waiting\ndata: {"ticketId":"t","waitingSince":1}\n\n';
const matched =
  'id: matched\nevent: matched\ndata: {"ticketId":"t","matchId":"m","opponent":"b","answer":"sdp"}\n\n';
const run = (api: ApiClient, o: { giveUpMs?: number; now?: () => number } = {}) => {
  let waitings = 0;
  const drops: number[] = [];
  const verdict = awaitVerdict(api, 't', new AbortController().signal, {
    token: () => 'tok',
    onWaiting: () => void waitings++,
    onDrop: (n) => void drops.push(n),
    backoffMs: () => 0,
    ...o,
  });
  return { verdict, waitings: () => waitings, drops };
};

describe('the resumable ticket stream', () => {
  it('a stream that breaks and one that ends early are reopened with Last-Event-ID', async () => {
    const { api, lastIds } = scripted([[waiting], 'break', [waiting], [matched]]);
    const r = run(api);
    await expect(r.verdict).resolves.toMatchObject({ type: 'matched', opponent: 'b' });
    expect(lastIds).toEqual([null, 'waiting', 'waiting', 'waiting']);
    expect(r.waitings()).toBe(2);
    expect(r.drops).toEqual([1, 2, 1]); // the count restarts once the server is heard again
  });

  it('a refusal to reopen (the ticket is gone) ends the wait with that code', async () => {
    const { api } = scripted([[waiting], 404]);
    await expect(run(api).verdict).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('a cancelled ticket ends the wait; nothing is reopened', async () => {
    const { api, lastIds } = scripted([
      [waiting, 'id: cancelled\nevent: cancelled\ndata: {"ticketId":"t"}\n\n'],
    ]);
    await expect(run(api).verdict).rejects.toMatchObject({ code: 'cancelled' });
    expect(lastIds).toHaveLength(1);
  });

  it('a server gone for longer than giveUpMs: unreachable', async () => {
    let t = 0;
    const { api } = scripted([[waiting]]); // then every request fails
    const r = run(api, { giveUpMs: 1000, now: () => (t += 300) });
    await expect(r.verdict).rejects.toMatchObject({ code: 'unreachable' });
    expect(r.drops.length).toBeGreaterThanOrEqual(3);
  });
});

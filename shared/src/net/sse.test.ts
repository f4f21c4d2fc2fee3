import { describe, expect, it } from 'vitest';
import { readSse } from './sse.js';

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

async function all(chunks: string[]) {
  const out = [];
  for await (const e of readSse(stream(chunks))) out.push(e);
  return out;
}

describe('readSse', () => {
  it('reads events split across chunks, skipping keep-alive comments', async () => {
    expect(
      await all([
        'event: waiting\nda',
        'ta: {"a":1}\n\n: keep-alive\n\n',
        'event: matched\ndata: x\ndata: y\n\n',
      ]),
    ).toEqual([
      { event: 'waiting', data: '{"a":1}' },
      { event: 'matched', data: 'x\ny' },
    ]);
  });

  it('accepts CRLF line ends and defaults the event name', async () => {
    expect(await all(['data: 1\r\n\r\n'])).toEqual([{ event: 'message', data: '1' }]);
  });

  it('drops an unfinished block at the end of the stream', async () => {
    expect(await all(['event: x\ndata: 1'])).toEqual([]);
  });
});

// RSS per WebRTC peer, the transport alone (no rooms, no game): this process answers N offers
// of N clients of its own over loopback, opens every channel, and reads its RSS before and
// after. Each connection is two peers here (client and server), so the figure is per peer.
// Run as a child process: node --import tsx test/bench/peer-memory.ts N  → one JSON line.
import { pino } from 'pino';
import { freePort } from '../support/ports.js';
import {
  createRtcClient,
  createRtcServer,
  shutdownTransport,
  type Peer,
} from '../../server/src/transport/index.js';
import { rssKb } from './proc.js';

async function main(n: number): Promise<void> {
  const logger = pino({ level: 'silent' });
  const server = createRtcServer({ udpPort: await freePort(), bindAddress: '127.0.0.1', logger });
  const connect = async (): Promise<Peer[]> => {
    const client = createRtcClient({ logger, timeoutMs: 15_000 });
    const { answerSdp, peer } = await server.answer(await client.offerSdp);
    return [await client.accept(answerSdp), peer];
  };
  (await connect()).forEach((p) => p.close()); // load and warm the native side first
  await new Promise((r) => setTimeout(r, 500));
  const before = rssKb(process.pid);
  const peers: Peer[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, n - i) }, connect));
    peers.push(...batch.flat());
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const after = rssKb(process.pid);
  process.stdout.write(
    `${JSON.stringify({ connections: n, peers: peers.length, rssKbBefore: before, rssKbAfter: after, kbPerPeer: (after - before) / peers.length })}\n`,
  );
  for (const p of peers) p.close();
  server.close();
  shutdownTransport();
}

main(Number(process.argv[2] ?? 50)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);

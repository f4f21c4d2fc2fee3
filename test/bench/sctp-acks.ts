// SCTP acknowledgements, side by side: K loopback pairs (client and server peers in one
// process) exchange what a match does, 30 small messages a second each way on `state` and a
// ping a second each way on `control`, first with the platform's SCTP settings
// (server/src/transport/sctp.ts), then with libdatachannel's 20 ms delayed SACK, the
// reference. Each side runs in a network namespace of its own (`unshare -n`, loopback only),
// so /proc/net/snmp counts its UDP datagrams and nothing else's. Needs root; skipped otherwise.
//   tsx test/bench/sctp-acks.ts            → both sides, one JSON line each
//   tsx test/bench/sctp-acks.ts --side X   → one side, in this process (what the parent runs)
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import nodeDataChannel from 'node-datachannel';
import { pino } from 'pino';
import { createRtcClient, createRtcServer, type Peer } from '../../server/src/transport/index.js';
import { SCTP_DELAYED_SACK_MS } from '../../server/src/transport/sctp.js';
import { root } from './children.js';
import { udpDatagramsSent } from './proc.js';
import { sleep } from './progress.js';

export interface SctpSide {
  readonly side: 'platform' | 'reference';
  readonly delayedSackMs: number;
  readonly pairs: number;
  /** UDP datagrams per pair-second, both directions. */
  readonly datagramsPerPairSecond: number;
  /** Messages delivered per pair-second, both directions. */
  readonly messagesPerPairSecond: number;
  /** This process's CPU (both ends of every pair), ms per second. */
  readonly cpuMsPerSecond: number;
}

export type SctpFigures =
  { readonly platform: SctpSide; readonly reference: SctpSide } | { readonly skipped: string };

const LIBDATACHANNEL_DELAYED_SACK_MS = 20;

async function side(which: SctpSide['side'], pairs: number, seconds: number): Promise<SctpSide> {
  const logger = pino({ level: 'silent' });
  const server = createRtcServer({ udpPort: 40_000, bindAddress: '127.0.0.1', logger });
  // The transport applied the platform's settings; the reference puts libdatachannel's back
  // before any association exists (they apply to associations made after the call).
  const delayedSackMs =
    which === 'platform' ? SCTP_DELAYED_SACK_MS : LIBDATACHANNEL_DELAYED_SACK_MS;
  if (which === 'reference') nodeDataChannel.setSctpSettings({ delayedSackTime: delayedSackMs });
  const peers: [Peer, Peer][] = [];
  for (let i = 0; i < pairs; i++) {
    const client = createRtcClient({ logger, timeoutMs: 15_000 });
    const { answerSdp, peer } = await server.answer(await client.offerSdp);
    const mine = await client.accept(answerSdp);
    await new Promise<void>((resolve) => peer.onOpen(resolve));
    peers.push([mine, peer]);
  }
  let delivered = 0;
  for (const p of peers.flat()) {
    p.onState(() => delivered++);
    p.onControl(() => delivered++);
  }
  const state = new Uint8Array(60);
  const ping = new Uint8Array(12);
  const frames = setInterval(() => peers.flat().forEach((p) => p.sendState(state)), 1000 / 30);
  const pings = setInterval(() => peers.flat().forEach((p) => p.sendControl(ping)), 1000);
  await sleep(1_000);
  const [u0, c0, d0, t0] = [udpDatagramsSent(), process.cpuUsage(), delivered, performance.now()];
  await sleep(seconds * 1000);
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const out: SctpSide = {
    side: which,
    delayedSackMs,
    pairs,
    datagramsPerPairSecond: Math.round((udpDatagramsSent() - u0) / sec / pairs),
    messagesPerPairSecond: Math.round((delivered - d0) / sec / pairs),
    cpuMsPerSecond: Math.round((cpu.user + cpu.system) / 1000 / sec),
  };
  clearInterval(frames);
  clearInterval(pings);
  for (const p of peers.flat()) p.close();
  server.close();
  return out;
}

/** Both sides, each in a child process in a network namespace of its own. */
export function sctpAcks(o: { pairs: number; seconds: number }): SctpFigures {
  const run = (which: SctpSide['side']) => {
    const script = `ip link set lo up && exec "${process.execPath}" --import tsx test/bench/sctp-acks.ts --side ${which} --pairs ${o.pairs} --seconds ${o.seconds}`;
    return spawnSync('unshare', ['-n', 'sh', '-c', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: (o.seconds + 60) * 1000,
    });
  };
  const sides: SctpSide[] = [];
  for (const which of ['platform', 'reference'] as const) {
    const r = run(which);
    const line = r.stdout?.split('\n').find((l) => l.startsWith('{'));
    if (r.status !== 0 || !line) {
      const why = (r.stderr || String(r.error ?? '')).trim().split('\n').slice(-1)[0];
      return { skipped: `unshare -n failed (root is needed): ${why}` };
    }
    sides.push(JSON.parse(line) as SctpSide);
  }
  const [platform, reference] = sides as [SctpSide, SctpSide];
  return { platform, reference };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      pairs: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '5' },
    },
  });
  const pairs = Number(values.pairs);
  const seconds = Number(values.seconds);
  if (values.side === 'platform' || values.side === 'reference') {
    process.stdout.write(`${JSON.stringify(await side(values.side, pairs, seconds))}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(sctpAcks({ pairs, seconds }))}\n`);
  }
  process.exit(0);
}

// Bench players in their own process:
//   node --import tsx test/bench/player-cli.ts --url URL --prefix NAME --password PW
//     --seconds S --players pilot,pilot,idle,idle,probe,probe,pilot:impaired,pilot:impaired
//     [--loss 0.05] [--delay-ms 50]
// Players queue one after another in the order given, so each consecutive two are a match.
// One JSON report per player on stdout; logs on stderr. Exits 1 if a player failed.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { shutdownTransport } from '../../server/src/transport/index.js';
import {
  matched,
  play,
  prepare,
  queue,
  type Matched,
  type PlayerMode,
  type PlayerReport,
} from './player.js';

const MODES: readonly PlayerMode[] = ['pilot', 'idle', 'probe'];

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      prefix: { type: 'string', default: 'bp' },
      password: { type: 'string', default: 'bench password' },
      seconds: { type: 'string', default: '10' },
      players: { type: 'string', default: 'pilot,pilot' },
      loss: { type: 'string', default: '0.05' },
      'delay-ms': { type: 'string', default: '50' },
    },
    strict: true,
  });
  if (!values.url) throw new Error('--url is required');
  const specs = values.players.split(',').map((spec) => {
    const [mode, flag] = spec.split(':');
    if (!MODES.includes(mode as PlayerMode) || (flag !== undefined && flag !== 'impaired'))
      throw new Error(`bad player "${spec}": one of ${MODES.join('|')}, optionally :impaired`);
    return { mode: mode as PlayerMode, impaired: flag === 'impaired' };
  });
  if (specs.length % 2 !== 0) throw new Error('--players must list an even number of players');
  return {
    url: values.url,
    prefix: values.prefix,
    password: values.password,
    seconds: Number(values.seconds),
    specs,
    impair: { loss: Number(values.loss), delayMs: Number(values['delay-ms']) },
  };
}

async function main(): Promise<number> {
  const o = options();
  const logger = pino({ level: 'warn', base: undefined }, pino.destination(2));
  const api = new ApiClient(o.url);
  const prepared = await Promise.all(
    o.specs.map((s, i) =>
      prepare({
        api,
        username: `${o.prefix}-${i + 1}`,
        password: o.password,
        signup: true,
        seconds: o.seconds,
        mode: s.mode,
        impair: s.impaired ? { ...o.impair, seed: i + 1 } : undefined,
        logger: logger.child({ player: `${o.prefix}-${i + 1}` }),
        seed: i + 1,
      }),
    ),
  );
  // Pair by pair, each pair matched before the next queues: every pair is the two given,
  // and the second arrival's time to match is not shared with anyone else's requests.
  const games: Promise<PlayerReport>[] = [];
  for (let i = 0; i + 1 < prepared.length; i += 2) {
    const pair = [prepared[i]!, prepared[i + 1]!];
    const found: Promise<Matched>[] = [];
    for (const p of pair) {
      const ticket = await queue(p);
      const m = matched(p, ticket);
      m.catch(() => undefined); // reported by play()
      found.push(m);
    }
    await Promise.allSettled(found);
    pair.forEach((p, k) => games.push(play(p, found[k]!)));
  }
  const reports = await Promise.all(games);
  for (const r of reports) process.stdout.write(`${JSON.stringify(r)}\n`);
  shutdownTransport();
  return reports.some((r) => r.result === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);

// npm run bot -- --url URL --username NAME --password PW [--signup] [--count K] [--seconds S] [--json]
//   [--drop-after S [--drop-for S]]
// --drop-after S: each bot drops its data channels S seconds into the match, stays away for
// --drop-for seconds (default 1), then rejoins the match on a new connection.
// K headless players over real WebRTC. With --json, exactly one JSON object per bot on stdout;
// logs go to stderr. Exits non-zero if any bot failed to play.
// Test switches (not for players): --relay-only connects only through the server's TURN relay
// and fails unless the selected ICE pair is relayed; --bind-address gathers on one address.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ApiClient, ApiError } from '../../../shared/src/net/api-client.js';
import { shutdownTransport } from '../transport/index.js';
import { runBot, type BotResult } from './run.js';

const USAGE =
  'usage: npm run bot -- --url http://127.0.0.1:8080 --username NAME --password PW [--signup] [--count K] [--seconds S] [--json] [--drop-after S [--drop-for S]]';

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      username: { type: 'string' },
      password: { type: 'string' },
      signup: { type: 'boolean', default: false },
      count: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
      json: { type: 'boolean', default: false },
      'drop-after': { type: 'string' },
      'drop-for': { type: 'string', default: '1' },
      'relay-only': { type: 'boolean', default: false },
      'bind-address': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const count = Number(values.count);
  const seconds = Number(values.seconds);
  if (values.help || !values.username || !values.password) return undefined;
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new Error('--count must be an integer 1-1000');
  if (!(seconds > 0 && seconds <= 3600))
    throw new Error('--seconds must be a number of seconds, 0-3600');
  const dropAfter = values['drop-after'] === undefined ? undefined : Number(values['drop-after']);
  const dropFor = Number(values['drop-for']);
  if (dropAfter !== undefined && !(dropAfter > 0 && dropAfter < seconds))
    throw new Error('--drop-after must be a number of seconds, above 0 and below --seconds');
  if (!(dropFor >= 0 && dropFor <= 600))
    throw new Error('--drop-for must be a number of seconds, 0-600');
  const drop =
    dropAfter === undefined ? undefined : { afterSeconds: dropAfter, awaySeconds: dropFor };
  return {
    ...values,
    username: values.username,
    password: values.password,
    count,
    seconds,
    ...(drop ? { drop } : {}),
  };
}

const fixed = (n: number | undefined, digits = 1) => (n === undefined ? '?' : n.toFixed(digits));

function printHuman(r: BotResult): string {
  if (r.result === 'failed') return `${r.username}: FAILED (${r.error ?? 'unknown'})`;
  const rejoined = r.rejoinMs === undefined ? '' : `; rejoined in ${fixed(r.rejoinMs, 0)} ms`;
  return `${r.username} vs ${r.opponent}: ${r.result}${rejoined}; connect ${fixed(r.connectMs)} ms, ${fixed(r.snapshotHz)} snapshots/s, ${fixed(r.bytesPerSecond, 0)} B/s, RTT p50 ${fixed(r.rttMs?.p50, 2)} ms p99 ${fixed(r.rttMs?.p99, 2)} ms`;
}

async function main(): Promise<number> {
  let o: ReturnType<typeof options>;
  try {
    o = options();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    console.error(USAGE);
    return 2;
  }
  if (!o) {
    console.error(USAGE);
    return 2;
  }
  const logger = pino({ level: 'info', base: undefined }, pino.destination(2));
  const api = new ApiClient(o.url.replace(/\/$/, ''));
  const names =
    o.count === 1
      ? [o.username]
      : Array.from({ length: o.count }, (_, i) => `${o.username}-${i + 1}`);
  const { password, signup, seconds } = o;
  const network = {
    relayOnly: o['relay-only'],
    ...(o['bind-address'] ? { bindAddress: o['bind-address'] } : {}),
  };
  const results = await Promise.all(
    names.map((username) =>
      runBot({
        api,
        username,
        password,
        signup,
        seconds,
        ...network,
        ...(o.drop ? { drop: o.drop } : {}),
        logger: logger.child({ bot: username }),
      }),
    ),
  );
  for (const r of results) console.log(o.json ? JSON.stringify(r) : printHuman(r));
  shutdownTransport();
  return results.some((r) => r.result === 'failed') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    process.exit(1);
  },
);

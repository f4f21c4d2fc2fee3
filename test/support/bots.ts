// Headless players for tests: the bot CLI as a child process, and the same bot in-process
// with a hook on its log so a test can wait for "match started" instead of sleeping.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ApiClient } from '../../shared/src/net/api-client.js';
import { runBot, type BotOptions, type BotResult } from '../../server/src/bot/run.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export async function botCli(
  args: string[],
): Promise<{ code: number | null; results: BotResult[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/bot/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-10_000)));
  const [code] = (await once(child, 'exit')) as [number | null];
  const lines = stdout.split('\n').filter(Boolean);
  return { code, results: lines.map((l) => JSON.parse(l) as BotResult), stderr };
}

/** A logger that calls `onMessage` with each message it logs (debug and up). */
export function hookedLogger(
  onMessage: (msg: string, record: Record<string, unknown>) => void,
): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const record = JSON.parse(line) as Record<string, unknown>;
        onMessage(String(record.msg), record);
      }
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

export interface InProcessBot {
  result: Promise<BotResult>;
  /** Resolves when the server's match_start has reached this bot. */
  started: Promise<void>;
  /** With a drop plan: resolves when the bot has dropped its connection (its seat waits). */
  dropped: Promise<void>;
  /** The id of the match the bot was paired into, once it is. */
  matchId: Promise<string>;
}

export function bot(
  url: string,
  username: string,
  seconds: number,
  password = 'bot password',
  drop?: BotOptions['drop'],
): InProcessBot {
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  let dropped!: () => void;
  const droppedP = new Promise<void>((r) => (dropped = r));
  // The bot has no start callback (its only seam is its logger), so its structured "match
  // started" record is the event; it decides no assertion.
  let matched!: (matchId: string) => void;
  const matchedP = new Promise<string>((r) => (matched = r));
  const logger = hookedLogger((m, record) => {
    if (m === 'match started') started();
    if (m === 'connection dropped') dropped();
    if (m === 'matched') matched(String(record.matchId));
  });
  const result = runBot({
    api: new ApiClient(url),
    username,
    password,
    signup: true,
    seconds,
    logger,
    ...(drop ? { drop } : {}),
  });
  // A bot that ends without ever starting fails `started` at once, instead of leaving the
  // test to hang until its timeout.
  const neverStarted = result.then((r) => {
    throw new Error(`${username} ended before its match started: ${r.result} ${r.error ?? ''}`);
  });
  const droppedOrEnded = Promise.race([droppedP, neverStarted]);
  // Only tests with a drop plan wait for it; for the others it must not go unhandled.
  droppedOrEnded.catch(() => undefined);
  const matchIdOrEnded = Promise.race([matchedP, neverStarted]);
  matchIdOrEnded.catch(() => undefined);
  return {
    result,
    started: Promise.race([startedP, neverStarted]),
    dropped: droppedOrEnded,
    matchId: matchIdOrEnded,
  };
}

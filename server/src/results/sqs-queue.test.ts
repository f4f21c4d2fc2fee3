import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { MatchResult } from './result.js';
import { SqsDeadLetters, SqsResultsQueue, type SqsSend } from './sqs-queue.js';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/events';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/1/events-dlq';

const result: MatchResult = {
  v: 1,
  matchId: '6f1c1d5e-3b1a-4c55-9a55-0a8d3c1e2f10',
  reason: 'ended',
  durationSec: 12.5,
  winnerSlot: 0,
  endedAt: '2026-12-01T21:00:00.000Z',
  players: [
    { userId: 'a', username: 'alice', slot: 0 },
    { userId: 'b', username: 'bob', slot: 1 },
  ],
};

/** An SQS that records every command and serves the DLQ's messages to each receive. */
function fakeSqs(dlq: Message[]) {
  const sent: unknown[] = [];
  const sqs: SqsSend = {
    send: (async (command: unknown) => {
      sent.push(command);
      if (command instanceof ReceiveMessageCommand) return { Messages: dlq };
      return {};
    }) as SqsSend['send'],
  };
  return { sqs, sent };
}

const dead = (body: string, id = 'm-1'): Message => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: body,
  Attributes: { ApproximateReceiveCount: '5', SentTimestamp: '1764622800000' },
});

describe('SqsResultsQueue', () => {
  it('sends each result as one JSON message to the events queue', async () => {
    const { sqs, sent } = fakeSqs([]);
    await new SqsResultsQueue(sqs, QUEUE).enqueue(result);
    expect(sent).toHaveLength(1);
    const command = sent[0] as SendMessageCommand;
    expect(command).toBeInstanceOf(SendMessageCommand);
    expect(command.input.QueueUrl).toBe(QUEUE);
    expect(JSON.parse(command.input.MessageBody ?? '')).toEqual(result);
  });
});

describe('SqsDeadLetters', () => {
  it('lists DLQ messages once each, by match id, with their receive count', async () => {
    const { sqs } = fakeSqs([dead(JSON.stringify(result)), dead('not json', 'm-2')]);
    const letters = await new SqsDeadLetters(sqs, { queueUrl: QUEUE, deadLetterUrl: DLQ }).list();
    expect(letters).toEqual([
      expect.objectContaining({ id: result.matchId, attempts: 5, result }),
      expect.objectContaining({ id: 'm-2', result: null }),
    ]);
  });

  it('retry copies the body back to the events queue, then deletes it from the DLQ', async () => {
    const { sqs, sent } = fakeSqs([dead(JSON.stringify(result))]);
    const letters = new SqsDeadLetters(sqs, { queueUrl: QUEUE, deadLetterUrl: DLQ });
    expect(await letters.retry(result.matchId)).toBe(true);
    const [send, remove] = sent.filter((c) => !(c instanceof ReceiveMessageCommand));
    expect(send).toBeInstanceOf(SendMessageCommand);
    expect((send as SendMessageCommand).input).toMatchObject({ QueueUrl: QUEUE });
    expect(remove).toBeInstanceOf(DeleteMessageCommand);
    expect((remove as DeleteMessageCommand).input).toEqual({
      QueueUrl: DLQ,
      ReceiptHandle: 'rh-m-1',
    });
  });

  it('retry of an unknown id sends and deletes nothing', async () => {
    const { sqs, sent } = fakeSqs([dead(JSON.stringify(result))]);
    const letters = new SqsDeadLetters(sqs, { queueUrl: QUEUE, deadLetterUrl: DLQ });
    expect(await letters.retry('nope')).toBe(false);
    expect(sent.filter((c) => !(c instanceof ReceiveMessageCommand))).toEqual([]);
  });
});

// AWS mode's results queue: each result is one SQS message; the Lambda (lambda.ts) consumes
// them, and SQS moves a message to the dead-letter queue after maxReceiveCount receives.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters, ResultsQueue } from './queue.js';
import { parseResult, type MatchResult } from './result.js';

/** The part of SQSClient used here, so unit tests can hand in a fake. */
export type SqsSend = Pick<SQSClient, 'send'>;

export class SqsResultsQueue implements ResultsQueue {
  constructor(
    private readonly sqs: SqsSend,
    private readonly queueUrl: string,
  ) {}

  async enqueue(result: MatchResult): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(result) }),
    );
  }

  start(): void {
    // The Lambda consumes this queue.
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {}
}

// A listing leaves messages visible (so a retry right after finds them); a retry hides what it
// receives while it copies the one it wants.
const LIST_VISIBILITY_S = 0;
const RETRY_VISIBILITY_S = 30;
const MAX_PAGES = 10;

/**
 * The dead-letter queue as seen by the admin API. SQS keeps no error text with a message, so
 * the error names the receive count; the cause is in the Lambda's logs.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SqsSend,
    private readonly o: { queueUrl: string; deadLetterUrl: string },
  ) {}

  async list(): Promise<DeadLetter[]> {
    const seen = new Map<string, DeadLetter>();
    for (const m of await this.peek(LIST_VISIBILITY_S)) {
      const letter = toLetter(m);
      seen.set(letter.id, letter);
    }
    return [...seen.values()];
  }

  async retry(id: string): Promise<boolean> {
    const message = (await this.peek(RETRY_VISIBILITY_S)).find((m) => toLetter(m).id === id);
    if (!message?.Body || !message.ReceiptHandle) return false;
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.o.queueUrl, MessageBody: message.Body }),
    );
    await this.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: this.o.deadLetterUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    );
    return true;
  }

  /** Up to MAX_PAGES × 10 messages; a dead-letter queue should hold far fewer. */
  private async peek(visibilitySeconds: number): Promise<Message[]> {
    const messages: Message[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.o.deadLetterUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: visibilitySeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        }),
      );
      if (!out.Messages?.length) break;
      messages.push(...out.Messages);
    }
    return messages;
  }
}

function toLetter(m: Message): DeadLetter {
  const attempts = Number(m.Attributes?.ApproximateReceiveCount ?? 0);
  const failedAt = new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString();
  try {
    const result = parseResult(JSON.parse(m.Body ?? ''));
    const error = `not applied after ${attempts} receives (see the results consumer's logs)`;
    return { id: result.matchId, result, attempts, error, failedAt };
  } catch (e) {
    // Unreadable bodies are listed too, under their message id, but cannot be replayed usefully.
    const error = e instanceof Error ? e.message : String(e);
    return { id: m.MessageId ?? '?', result: null, attempts, error, failedAt };
  }
}

// Each finished match as its own item in the `matches` table: players, scores, duration,
// winner and why it ended. Written once (conditional on the id), so a retry cannot double it,
// and written last when a result is applied, so it also marks the result as applied.
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

export interface MatchItem {
  matchId: string;
  endedAt: string;
  durationSec: number;
  reason: string;
  /** Slot of the winner, or -1 for a draw or no result. */
  winnerSlot: number;
  winner?: string;
  /** Epoch seconds; DynamoDB TTL deletes the item after it. Only volatile items carry it. */
  expiresAt?: number;
  players: {
    username: string;
    slot: number;
    score: number;
    shotsFired: number;
    hits: number;
    asteroidsDestroyed: number;
  }[];
}

export class MatchRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  /** False when the match was already written. */
  async put(item: MatchItem): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(matchId)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async get(matchId: string): Promise<MatchItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { matchId }, ConsistentRead: true }),
    );
    return out.Item as MatchItem | undefined;
  }
}

// The leaderboard in DynamoDB: each ranked player carries `lbShard` and `rankKey`, and the
// sparse, keys-only `leaderboard-index` sorts them. Reads merge the shards in key order; no
// read touches the table itself or anything beyond the ranks it needs.
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PlayerItem } from '../players/player.js';
import { LEADERBOARD_INDEX } from '../players/table.js';
import { LEADERBOARD_SHARDS } from './rank-key.js';

/** What a player item holds for the leaderboard, beside its stats. */
export interface RankedItem extends PlayerItem {
  rankKey?: string;
  lbShard?: number;
}

type Range = { after?: string; before?: string };

// DynamoDB returns at most this many items per call anyway (and at most 1 MB).
const MAX_BATCH = 1000;

/** One shard's keys in order, fetched in batches as the merge consumes them. */
class ShardCursor {
  private readonly buffer: string[] = [];
  private startKey: Record<string, unknown> | undefined;
  private exhausted = false;

  constructor(
    private readonly fetch: (
      startKey: Record<string, unknown> | undefined,
      limit: number,
    ) => Promise<{ keys: string[]; next: Record<string, unknown> | undefined }>,
  ) {}

  get head(): string | undefined {
    return this.buffer[0];
  }
  get needsFill(): boolean {
    return this.buffer.length === 0 && !this.exhausted;
  }
  shift(): string | undefined {
    return this.buffer.shift();
  }
  async fill(limit: number): Promise<void> {
    const { keys, next } = await this.fetch(this.startKey, limit);
    this.buffer.push(...keys);
    this.startKey = next;
    this.exhausted = next === undefined;
  }
}

export class LeaderboardRepository {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async get(username: string): Promise<RankedItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { username }, ConsistentRead: true }),
    );
    return out.Item as RankedItem | undefined;
  }

  /**
   * Sets the player's rank key, but only if the stats it was computed from are still the
   * item's: wins and best score as read, and the same last counted match (every result that
   * adds time changes it). A stale caller therefore loses to a fresh one. False when the
   * item changed (or is gone) in between.
   */
  async setRankKey(item: RankedItem, rankKey: string, lbShard: number): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':key': rankKey, ':shard': lbShard };
    const same = (field: 'wins' | 'bestScore' | 'lastCountedMatch') => {
      names[`#${field}`] = field;
      if (item[field] === undefined) return `attribute_not_exists(#${field})`;
      values[`:${field}`] = item[field];
      return `#${field} = :${field}`;
    };
    const condition = [
      'attribute_exists(username)',
      same('wins'),
      same('bestScore'),
      same('lastCountedMatch'),
    ].join(' AND ');
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { username: item.username },
          UpdateExpression: 'SET rankKey = :key, lbShard = :shard',
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /** Rank keys from position `offset` (0-based) on, at most `count`, in leaderboard order. */
  async range(offset: number, count: number): Promise<string[]> {
    const want = offset + count;
    // Roughly an even share of `want` per shard, so one round usually suffices.
    const batch = Math.min(
      MAX_BATCH,
      want,
      Math.max(25, Math.ceil((want * 1.25) / LEADERBOARD_SHARDS)),
    );
    const cursors = this.shards().map(
      (s) => new ShardCursor((start, limit) => this.keys(s, {}, true, limit, start)),
    );
    const out: string[] = [];
    for (let taken = 0; taken < want; taken++) {
      // Every shard that still has keys must show its next one before the smallest is taken.
      while (cursors.some((c) => c.needsFill)) {
        await Promise.all(cursors.filter((c) => c.needsFill).map((c) => c.fill(batch)));
      }
      let best: ShardCursor | undefined;
      for (const c of cursors) {
        const head = c.head;
        if (head !== undefined && (best?.head === undefined || byteOrder(head, best.head) < 0))
          best = c;
      }
      const key = best?.shift();
      if (key === undefined) break;
      if (taken >= offset) out.push(key);
    }
    return out;
  }

  /** How many ranked players sort before `key` (so its rank is this + 1). */
  async countBefore(key: string): Promise<number> {
    const counts = await Promise.all(
      this.shards().map(async (shard) => {
        let n = 0;
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.doc.send(
            new QueryCommand({
              ...this.query(shard, { before: key }),
              Select: 'COUNT',
              ExclusiveStartKey: startKey,
            }),
          );
          n += page.Count ?? 0;
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return n;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Up to `n` keys just before and just after `key`, each list in leaderboard order. */
  async neighbours(key: string, n: number): Promise<{ above: string[]; below: string[] }> {
    const [above, below] = await Promise.all([
      Promise.all(this.shards().map((s) => this.keys(s, { before: key }, false, n))),
      Promise.all(this.shards().map((s) => this.keys(s, { after: key }, true, n))),
    ]);
    const sorted = (lists: { keys: string[] }[]) => lists.flatMap((l) => l.keys).sort(byteOrder);
    return { above: sorted(above).slice(-n), below: sorted(below).slice(0, n) };
  }

  private shards(): number[] {
    return Array.from({ length: LEADERBOARD_SHARDS }, (_, i) => i);
  }

  private query(shard: number, r: Range): QueryCommandInput {
    const values: Record<string, unknown> = { ':shard': shard };
    let condition = 'lbShard = :shard';
    if (r.after !== undefined) {
      condition += ' AND rankKey > :after';
      values[':after'] = r.after;
    }
    if (r.before !== undefined) {
      condition += ' AND rankKey < :before';
      values[':before'] = r.before;
    }
    return {
      TableName: this.table,
      IndexName: LEADERBOARD_INDEX,
      KeyConditionExpression: condition,
      ExpressionAttributeValues: values,
    };
  }

  private async keys(
    shard: number,
    r: Range,
    forward: boolean,
    limit: number,
    startKey?: Record<string, unknown>,
  ): Promise<{ keys: string[]; next: Record<string, unknown> | undefined }> {
    const page = await this.doc.send(
      new QueryCommand({
        ...this.query(shard, r),
        ProjectionExpression: 'rankKey',
        ScanIndexForward: forward,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = (page.Items ?? []).map((i) => String((i as { rankKey: unknown }).rankKey));
    return { keys, next: page.LastEvaluatedKey };
  }
}

/** DynamoDB compares string keys by their UTF-8 bytes; usernames are ASCII, so code units agree. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

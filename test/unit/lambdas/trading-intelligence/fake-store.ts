import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from '../../../../lambdas/shared/store';

type Item = Record<string, unknown>;

/**
 * An in-memory stand-in for the DynamoDB document client: BatchWrite puts, and Query on `pk = :pk`
 * (optionally `AND sk BETWEEN :from AND :to`) in sort-key order with ScanIndexForward and Limit.
 * Anything else throws, so a test notices when the service starts using another API (e.g. Scan).
 */
export class FakeDocumentClient {
  readonly tables = new Map<string, Map<string, Item>>();
  readonly calls: string[] = [];

  async send(command: unknown): Promise<unknown> {
    if (command instanceof BatchWriteCommand) {
      this.calls.push('BatchWriteItem');
      for (const [table, requests] of Object.entries(command.input.RequestItems ?? {})) {
        const rows = this.table(table);
        for (const request of requests) {
          const item = request.PutRequest?.Item as Item | undefined;
          if (!item) throw new Error('fake store: only PutRequest is supported');
          rows.set(`${String(item.pk)}\u0000${String(item.sk)}`, structuredClone(item));
        }
      }
      return { UnprocessedItems: {} };
    }
    if (command instanceof QueryCommand) {
      this.calls.push('Query');
      const input = command.input;
      const values = (input.ExpressionAttributeValues ?? {}) as Record<string, string>;
      const expression = input.KeyConditionExpression ?? '';
      const between = /^pk = :pk AND sk BETWEEN :from AND :to$/.test(expression);
      if (!between && expression !== 'pk = :pk') throw new Error(`fake store: unsupported ${expression}`);
      let items = [...this.table(input.TableName ?? '').values()]
        .filter((item) => item.pk === values[':pk'])
        .filter(
          (item) =>
            !between ||
            (String(item.sk) >= (values[':from'] as string) && String(item.sk) <= (values[':to'] as string)),
        )
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0));
      if (input.ScanIndexForward === false) items.reverse();
      if (input.Limit !== undefined) items = items.slice(0, input.Limit);
      return { Items: items.map((item) => structuredClone(item)) };
    }
    throw new Error(`fake store: unsupported command ${(command as object).constructor.name}`);
  }

  table(name: string): Map<string, Item> {
    let rows = this.tables.get(name);
    if (!rows) {
      rows = new Map();
      this.tables.set(name, rows);
    }
    return rows;
  }

  count(name: string): number {
    return this.table(name).size;
  }
}

export function fakeContexts(namespace = 'test'): {
  client: FakeDocumentClient;
  market: StoreContext;
  rankings: StoreContext;
} {
  const client = new FakeDocumentClient();
  const documentClient = client as unknown as DynamoDBDocumentClient;
  return {
    client,
    market: { client: documentClient, table: 'market', namespace, rawTtlDays: 30 },
    rankings: { client: documentClient, table: 'rankings', namespace, rawTtlDays: 30 },
  };
}

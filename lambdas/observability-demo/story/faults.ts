/**
 * DynamoDB failing the way it does on a real day, for one step: the step gets a store context whose
 * client refuses the matching commands with the SDK's own exception types (as the client surfaces them
 * once its retries are spent), and passes everything else through to the real client.
 */
import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from '../../shared/store';

type Send = DynamoDBDocumentClient['send'];

function withFault(store: StoreContext, fault: (command: unknown) => Error | undefined): StoreContext {
  const client = store.client;
  const faulty = Object.create(client) as DynamoDBDocumentClient;
  const send = ((command: unknown, ...rest: unknown[]) => {
    const error = fault(command);
    if (error) return Promise.reject(error);
    return (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  }) as unknown as Send;
  faulty.send = send;
  return { ...store, client: faulty };
}

/** The first `times` BatchWriteItem calls are throttled (ProvisionedThroughputExceeded after 6 attempts). */
export function throttledWrites(store: StoreContext, times = 1): StoreContext {
  let left = times;
  return withFault(store, (command) => {
    if (!(command instanceof BatchWriteCommand) || left <= 0) return undefined;
    left -= 1;
    return new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: { httpStatusCode: 400, attempts: 6 },
    });
  });
}

/** Every BatchWriteItem that puts an item under a partition key containing `keyPart` fails with InternalServerError. */
export function failingWrites(store: StoreContext, keyPart: string): StoreContext {
  return withFault(store, (command) => {
    if (!(command instanceof BatchWriteCommand)) return undefined;
    const requests = Object.values(command.input.RequestItems ?? {}).flat();
    const matches = requests.some((request) => String(request.PutRequest?.Item?.pk ?? '').includes(keyPart));
    if (!matches) return undefined;
    return new InternalServerError({
      message: 'Internal server error',
      $metadata: { httpStatusCode: 500, attempts: 6 },
    });
  });
}

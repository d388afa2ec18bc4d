import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TableKey } from '../lambdas/shared/store/tables';

export interface DataTablesProps {
  /** @default RemovalPolicy.RETAIN (accuracy history is not to be lost with a stack) */
  readonly removalPolicy?: RemovalPolicy;
}

/** The product's tables, from the shared definitions: on-demand, PITR, TTL on `expiresAt`. */
export class DataTables extends Construct {
  readonly market: TableV2;
  readonly rankings: TableV2;
  readonly sampling: TableV2;

  constructor(scope: Construct, id: string, props: DataTablesProps = {}) {
    super(scope, id);
    const make = (logicalId: string) =>
      new TableV2(this, logicalId, {
        partitionKey: { name: TableKey.PARTITION, type: AttributeType.STRING },
        sortKey: { name: TableKey.SORT, type: AttributeType.STRING },
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: TableKey.TTL,
        encryption: TableEncryptionV2.awsManagedKey(),
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    this.market = make('MarketTable');
    this.rankings = make('RankingsTable');
    this.sampling = make('SamplingConfigTable');
  }
}

import {
  DataPartition,
  isLivePartition,
  PARTITION_ATTRIBUTE,
  PARTITION_DIMENSION,
  partitionScope,
} from '../../../../lambdas/shared/partition';

describe('partitionScope', () => {
  it('names the live partition on spans and logs but adds no metric dimension, so live metrics keep the sets alarms read', () => {
    expect(partitionScope('live')).toEqual({ attributes: { 'data.partition': 'live' } });
    expect(isLivePartition(DataPartition.LIVE)).toBe(true);
  });

  it('gives every other partition its own metric dimension as well', () => {
    expect(partitionScope('demo')).toEqual({
      attributes: { [PARTITION_ATTRIBUTE]: 'demo' },
      metricDimensions: { [PARTITION_DIMENSION]: 'demo' },
    });
    expect(PARTITION_DIMENSION).toBe('DataPartition');
    expect(partitionScope('staging-2').metricDimensions).toEqual({ DataPartition: 'staging-2' });
    expect(isLivePartition('Live')).toBe(false);
  });
});

import {
  GROUP_ALERT_LOG_LIMIT,
  groupAlertLines,
  logGroupAlerts,
} from '../../../../lambdas/dual-accuracy-tracker/group-alert-log';
import type { AccuracyAlert, CalibrationAlert } from '../../../../lambdas/shared/accuracy';

const accuracy = (key: string, n: number): AccuracyAlert => ({
  scope: 'model',
  key,
  hitRate: 0.4,
  hitRateCi: [0.3, 0.51234567],
  n,
  threshold: 0.6,
  message: '',
});
const calibration = (key: string, n: number): CalibrationAlert => ({
  scope: 'symbol',
  key,
  ece: 0.2345678,
  n,
  threshold: 0.15,
  message: '',
});

describe('group alert log lines', () => {
  it('one line per alerting group with the fields the saved query and the Contributor Insights rule read', () => {
    expect(
      groupAlertLines({ accuracy: [accuracy('m1', 40)], calibration: [calibration('IBM', 60)] }, 'alarm'),
    ).toEqual([
      {
        alertRule: 'accuracy',
        groupKind: 'model',
        group: 'm1',
        n: 40,
        hitRate: 0.4,
        upperBound: 0.5123,
        run: 'alarm',
      },
      { alertRule: 'calibration', groupKind: 'symbol', group: 'IBM', n: 60, ece: 0.2346, run: 'alarm' },
    ]);
  });

  it('caps the lines per rule and call, the largest groups first', () => {
    const many = Array.from({ length: 500 }, (_, i) => accuracy(`m${i}`, 30 + (i % 97)));
    const lines: Array<Record<string, unknown>> = [];
    const written = logGroupAlerts({ accuracy: many, calibration: [] }, 'ad-hoc', (message, fields) => {
      expect(message).toBe('group alerting');
      lines.push(fields);
    });
    expect(written).toBe(GROUP_ALERT_LOG_LIMIT);
    expect(lines).toHaveLength(GROUP_ALERT_LOG_LIMIT);
    // n runs 30…126 (five groups each): the 20 lines are the five groups of each of the four largest n.
    expect(lines.map((line) => line.n)).toEqual([126, 125, 124, 123].flatMap((n) => [n, n, n, n, n]));
    expect(lines.every((line) => line.run === 'ad-hoc')).toBe(true);
  });
});

import {
  buildAlertRules,
  DEFAULT_ALERT_PARAMS,
  type ExpressionRule,
  findRule,
  RuleId,
} from '../../lib/alerting/rules';
import { tradingDaysEndingAt } from '../lib';
import { buildAlarms, evaluateAlarms } from './alarms';
import { scheduleIncidents } from './scenarios';
import { simulateWorkload } from './workload';

const rules = buildAlertRules();
const days = tradingDaysEndingAt('2026-11-20', 12, false);
const incidents = scheduleIncidents(days);
const w = simulateWorkload({
  days,
  incidents,
  params: DEFAULT_ALERT_PARAMS,
  accuracyRule: findRule(rules, RuleId.ACCURACY) as ExpressionRule,
  seed: 42,
});
const defs = buildAlarms(rules, DEFAULT_ALERT_PARAMS, w.store);
const m = (iso: string) => Math.floor((Date.parse(iso) - w.originMs) / 60000);
const r = evaluateAlarms(defs, 0, w.totalMinutes);
const iso = (x: number) => new Date(w.originMs + x * 60000).toISOString().slice(5, 16);
for (const i of r.intervals)
  if (
    (i.ruleId.startsWith('function-errors') || i.ruleId.startsWith('availability')) &&
    i.from > m('2026-11-10T15:00:00Z') &&
    i.from < m('2026-11-10T20:00:00Z')
  )
    console.log(i.alarm, iso(i.from), iso(i.to));

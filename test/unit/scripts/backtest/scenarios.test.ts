import { tradingDaysEndingAt } from '../../../../lambdas/observability-demo/replay';
import { dayInfo } from '../../../../lambdas/shared/market';
import { INCIDENT_TEMPLATES, ScenarioError, scheduleIncidents } from '../../../../scripts/backtest/scenarios';

describe('incident schedule', () => {
  const days = tradingDaysEndingAt('2026-11-20', 60, false);
  const incidents = scheduleIncidents(days);

  it('places every template once, in order, on distinct trading days with healthy days between', () => {
    expect(incidents.map((i) => i.name)).toEqual(INCIDENT_TEMPLATES.map((t) => t.name));
    const indexes = incidents.map((i) => days.findIndex((d) => d.date === i.day));
    expect(new Set(indexes).size).toBe(incidents.length);
    for (let k = 1; k < indexes.length; k++)
      expect((indexes[k] as number) - (indexes[k - 1] as number)).toBeGreaterThan(1);
  });

  it('starts and ends every incident inside its day’s regular session, at the template’s ET time', () => {
    for (const incident of incidents) {
      const day = dayInfo(incident.day);
      expect(incident.startMs).toBeGreaterThanOrEqual(Date.parse(day.open as string));
      expect(incident.endMs).toBeLessThanOrEqual(Date.parse(day.close as string));
      expect(incident.endMs - incident.startMs).toBe(incident.durationMinutes * 60_000);
      const et = new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(incident.startMs));
      expect(et).toBe(incident.startEt);
    }
  });

  it('refuses a replay too short for the incidents and healthy days', () => {
    expect(() => scheduleIncidents(days.slice(0, INCIDENT_TEMPLATES.length + 1))).toThrow(ScenarioError);
  });
});

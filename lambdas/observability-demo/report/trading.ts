/** Report section: where the opportunities are (the last replayed day's rankings). */
import type { TradingReport } from '../story/types';
import { type Column, fmt, section, table } from './text';

/** The runs at whole hours, and the last one (the day's 26 runs would not read as a table). */
function onTheHour(rankings: TradingReport['rankings']): TradingReport['rankings'] {
  return rankings.filter(
    (run, index) => new Date(run.asOf).getUTCMinutes() === 0 || index === rankings.length - 1,
  );
}

export function tradingSection(t: TradingReport): string {
  const top = t.top;
  const factors = [...new Set(top.flatMap((entry) => entry.breakdown.map((f) => f.factor)))];
  const shown = top.length < t.scored ? `top ${top.length} of ${t.scored} shown` : `all ${t.scored} shown`;
  return section(
    `Where are the opportunities? (analyze as of ${fmt.et(t.asOf)})`,
    [
      `  ${t.scored} symbols scored, ${t.opportunitiesFound} opportunit${t.opportunitiesFound === 1 ? 'y' : 'ies'} (score ≥ ${t.threshold}); ${shown}`,
      '',
      table(top, [
        { header: 'rank', value: (e) => (e.rank === null ? '–' : String(e.rank)) },
        { header: 'symbol', value: (e) => e.symbol, align: 'left' },
        { header: 'score', value: (e) => fmt.num(e.score, 1) },
        { header: 'opp.', value: (e) => (e.isOpportunity ? 'yes' : ''), align: 'left' },
        ...factors.map(
          (factor): Column<(typeof top)[number]> => ({
            header: factor,
            value: (e) => fmt.num(e.breakdown.find((f) => f.factor === factor)?.contribution, 1),
          }),
        ),
      ]),
      '  (each factor column: points contributed to the score; they add up to it)',
      '',
      `  Scheduled rankings replayed: ${fmt.int(t.runs)} (every 15 minutes of each regular session), ` +
        `${fmt.int(t.runsWithOpportunity)} with an opportunity. The last day's, on the hour and the last run:`,
      table(onTheHour(t.rankings), [
        { header: 'as of', value: (r) => fmt.et(r.asOf), align: 'left' },
        { header: 'leader', value: (r) => r.topSymbol ?? '–', align: 'left' },
        { header: 'score', value: (r) => fmt.num(r.topScore, 1) },
        { header: 'opportunities', value: (r) => fmt.int(r.opportunities) },
      ]),
    ].join('\n'),
  );
}

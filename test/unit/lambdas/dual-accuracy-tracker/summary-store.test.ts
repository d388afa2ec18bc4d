import { boundedReport } from '../../../../lambdas/dual-accuracy-tracker/summary-store';

describe('boundedReport', () => {
  it('sends the newest summaries that fit the answer and counts the rest', () => {
    const summaries = [{ id: 1, text: 'x'.repeat(40) }, { id: 2, text: 'y'.repeat(40) }, { id: 3 }];
    const size = JSON.stringify(summaries[0]).length;
    expect(boundedReport(summaries, 2 * size)).toEqual({ summaries: summaries.slice(0, 2), leftOut: 1 });
    expect(boundedReport(summaries, 10_000)).toEqual({ summaries, leftOut: 0 });
  });

  it('always sends the newest one, however large', () => {
    expect(boundedReport([{ big: 'z'.repeat(100) }, { small: 1 }], 10)).toEqual({
      summaries: [{ big: 'z'.repeat(100) }],
      leftOut: 1,
    });
  });
});

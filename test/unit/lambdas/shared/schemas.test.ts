import { isoTimestampSchema, Limits } from '../../../../lambdas/shared/schemas';

describe('isoTimestampSchema: time zone offsets a clock can have (±14:00)', () => {
  it.each([
    ['2026-11-24T15:00:00+14:00', '2026-11-24T01:00:00.000Z'],
    ['2026-11-24T15:00:00-14:00', '2026-11-25T05:00:00.000Z'],
    ['2026-11-24T15:00:00+05:45', '2026-11-24T09:15:00.000Z'],
    ['2026-11-24T15:00:00-12:00', '2026-11-25T03:00:00.000Z'],
    ['2026-11-24T15:00:00+00:00', '2026-11-24T15:00:00.000Z'],
  ])('accepts %s as %s', (value, normalised) => {
    expect(isoTimestampSchema.parse(value)).toBe(normalised);
  });

  it.each([
    '2026-11-24T15:00:00+14:01',
    '2026-11-24T15:00:00-14:30',
    '2026-11-24T15:00:00+15:00',
    '2026-11-24T15:00:00+23:59',
    '2026-11-24T15:00:00-23:59',
    '2026-11-24T15:00:00+05:60',
  ])('refuses %s, naming the limit', (value) => {
    const parsed = isoTimestampSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('±14:00');
  });

  it('states the limit in minutes', () => {
    expect(Limits.MAX_UTC_OFFSET_MINUTES).toBe(840);
  });
});

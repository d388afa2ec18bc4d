/**
 * The monitoring probe's pure logic: how old the SigNoz ingestion key is (from secret METADATA only), and the
 * market clock the market-hours alarms gate on. The handler is a thin shell over these.
 */
import { isRegularSessionOpen } from '../shared/market';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What DescribeSecret / ListSecretVersionIds tell about the key, never its value. */
export interface KeyMetadata {
  /** Set only by Secrets Manager rotation. */
  readonly lastRotatedDate?: Date | undefined;
  /** When the AWSCURRENT version was created: a manual `put-secret-value` rotation moves this. */
  readonly currentVersionCreatedDate?: Date | undefined;
  /** When the secret itself was created (the oldest the key can be). */
  readonly createdDate?: Date | undefined;
}

/** The instant the current key was put in place: the latest of rotation and current version, else creation. */
export function keyInPlaceSince(metadata: KeyMetadata): Date | null {
  const candidates = [metadata.lastRotatedDate, metadata.currentVersionCreatedDate]
    .filter((date): date is Date => date instanceof Date && Number.isFinite(date.getTime()))
    .map((date) => date.getTime());
  if (candidates.length > 0) return new Date(Math.max(...candidates));
  const created = metadata.createdDate;
  return created instanceof Date && Number.isFinite(created.getTime()) ? created : null;
}

/** Age of the key in days (fractional, never negative), or null when the metadata has no date at all. */
export function keyAgeDays(metadata: KeyMetadata, now: Date): number | null {
  const since = keyInPlaceSince(metadata);
  if (since === null) return null;
  return Math.max(0, (now.getTime() - since.getTime()) / DAY_MS);
}

/**
 * 1 while the NYSE regular session is open, 0 otherwise, or null when the calendar does not cover `now`
 * (the project's calendar lists holidays year by year; a missing year must be added, not guessed).
 */
export function marketSessionOpen(now: Date): 0 | 1 | null {
  try {
    return isRegularSessionOpen(now) ? 1 : 0;
  } catch {
    return null;
  }
}

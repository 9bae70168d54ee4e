// When a scan's data was read, in words, for the command line, reports and script headers. A scan
// that ran through is dated by the end of its reading ("as of"); a resumed one was read in parts,
// possibly days apart, and a single time would be a claim about the earlier part that nobody
// checked: it says "read between … and …, resumed" and how the parts split.
import { counted } from './plural';

/** The times of a scan (OrganizationScan, as Dates) or of a snapshot file (Snapshot, as ISO strings). */
export interface ReadTimes {
  readonly startedAt: Date | string;
  readonly readAt: Date | string;
  readonly resumed?: {
    readonly resumedAt: Date | string;
    readonly checkpointWrittenAt: Date | string;
    readonly mailboxesFromCheckpoint: number;
  };
}

function iso(time: Date | string): string {
  return typeof time === 'string' ? time : time.toISOString();
}

/**
 * What follows "read": "2026-03-02T14:02:00.000Z", or for a resumed scan "between 2026-03-01T09:00:00.000Z
 * and 2026-03-02T14:02:00.000Z, resumed: 6 mailboxes read up to 2026-03-01T09:20:00.000Z, the others
 * from 2026-03-02T14:00:00.000Z".
 */
export function readTimeText(times: ReadTimes): string {
  const { resumed } = times;
  if (!resumed) {
    return iso(times.readAt);
  }
  return `between ${iso(times.startedAt)} and ${iso(times.readAt)}, resumed: ${counted(resumed.mailboxesFromCheckpoint, 'mailbox', 'mailboxes')} read up to ${iso(resumed.checkpointWrittenAt)}, the others from ${iso(resumed.resumedAt)}`;
}

/** "as of 2026-03-02T14:02:00.000Z", or "read between … and …, resumed: …" (readTimeText). */
export function asOfText(times: ReadTimes): string {
  return times.resumed ? `read ${readTimeText(times)}` : `as of ${iso(times.readAt)}`;
}

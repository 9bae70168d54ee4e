// How old a scan checkpoint is, and how old it may be for a scan to resume it without asking: the
// resume decision both front ends make (the extension's question, the command line's --resume and
// --resume-max-age), apart from the file format (checkpoint.ts), which has no opinion on age.
import type { ResumeState } from './checkpoint';
import { counted } from './plural';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A checkpoint older than this many hours is not resumed unless the person says so (`workmail.scanResumeMaxAgeHours`, `--resume-max-age`). */
export const DEFAULT_RESUME_MAX_AGE_HOURS = 24;

/**
 * How old what a checkpoint holds is: since its scan started (its directory was listed then, and its
 * first mailboxes read). Never negative (a clock set back).
 */
export function checkpointAgeMs(resume: Pick<ResumeState, 'startedAt'>, now: Date): number {
  return Math.max(0, now.getTime() - resume.startedAt.getTime());
}

/** Whether a checkpoint is too old to resume without an explicit choice. */
export function isCheckpointTooOld(resume: Pick<ResumeState, 'startedAt'>, now: Date, maxAgeHours: number): boolean {
  return checkpointAgeMs(resume, now) > maxAgeHours * HOUR_MS;
}

/** "less than a minute", "40 minutes", "30 hours", "3 days": an age in words (English: the command line). */
export function ageText(ms: number): string {
  if (ms < MINUTE_MS) return 'less than a minute';
  if (ms < HOUR_MS) return counted(Math.floor(ms / MINUTE_MS), 'minute');
  if (ms < 48 * HOUR_MS) return counted(Math.floor(ms / HOUR_MS), 'hour');
  return counted(Math.floor(ms / (24 * HOUR_MS)), 'day');
}

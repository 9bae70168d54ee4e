// The one scan runner of both front ends: the checkpoint of an organization's scan (its key, what an
// interrupted scan left, the front end's decision to resume it), the scan itself, and what is
// said when it stops. The extension decides by a question and shows a progress notification; the
// command line decides by --resume and --resume-max-age and prints progress on stderr. Both get the
// same checkpoint handling from here, so a fix to one is a fix to both.
import { CheckpointWriter, checkpointKeyFor, readCheckpoint, type CheckpointKey, type ResumeState } from './checkpoint';
import { isCancellation } from './errors';
import fs from 'node:fs';
import { collectScan } from './scan/collect';
import type { ScanOptions } from './scan/engine';
import type { OrganizationScan } from './scan/records';
import type { WorkMailSession } from './session';
import type { OrgRef } from './types';

/** resume: read only what is left; startOver: read everything, checkpointing again; none: read everything, leaving the checkpoint as it is. */
export type ResumeDecision = 'resume' | 'startOver' | 'none';

export interface CheckpointPlace {
  /** The checkpoint file for this organization's key. */
  readonly file: (key: CheckpointKey) => string;
  /** Create the file's folder if missing (the extension's storage); otherwise it must exist. */
  readonly createFolder?: boolean;
  /** An interrupted scan was found: what to do with it (a question, or the command line's options). */
  readonly decide: (found: ResumeState, file: string) => Promise<ResumeDecision>;
  /** No interrupted scan was there. */
  readonly onNone?: (file: string) => void;
  /**
   * No checkpoint for this scan: the file cannot be used (damaged, another organization: `reason`
   * names it; the file is left alone) or its key could not be read. The scan runs without one;
   * checkpoints are a help, never a reason to fail.
   */
  readonly onUnusable?: (reason: string, why: 'refused' | 'noKey') => void;
  readonly now?: () => Date;
}

export interface PreparedCheckpoint {
  readonly writer: CheckpointWriter;
  readonly resume?: ResumeState;
}

/** Looks for the organization's checkpoint and asks the front end what to do with what it finds. */
export async function prepareCheckpoint(session: Pick<WorkMailSession, 'endpoint' | 'accountOf'>, org: OrgRef, place: CheckpointPlace, signal?: AbortSignal): Promise<PreparedCheckpoint | undefined> {
  let key: CheckpointKey;
  try {
    key = await checkpointKeyFor(session, org, signal);
  } catch (err) {
    if (isCancellation(err) || signal?.aborted) throw err;
    place.onUnusable?.(`no checkpoint for ${org.organizationId}: ${err instanceof Error ? err.message : String(err)}`, 'noKey');
    return undefined;
  }
  const file = place.file(key);
  const lookup = readCheckpoint(file, key);
  if (lookup.state === 'refused') {
    place.onUnusable?.(lookup.reason, 'refused');
    return undefined;
  }
  const writer = new CheckpointWriter(file, key, place.now, place.createFolder ?? false);
  if (lookup.state === 'none') {
    place.onNone?.(file);
    return { writer };
  }
  const decision = await place.decide(lookup.resume, file);
  return decision === 'resume' ? { writer, resume: lookup.resume } : decision === 'startOver' ? { writer } : undefined;
}

export interface ScanRunHooks {
  /** The scan stopped and its progress is kept in `file` for a resume. */
  readonly onKept?: (file: string) => void;
  /** Checkpointing stopped during the scan (a full disk…): this scan could not be resumed. */
  readonly onCheckpointProblem?: (problem: string) => void;
  /** How the scan is run: collectScan by default, or a cache that keeps what it reads. */
  readonly scan?: (session: WorkMailSession, org: OrgRef, options: ScanOptions) => Promise<OrganizationScan>;
  readonly now?: () => Date;
}

/** Scans the organization with the prepared checkpoint (if any), saying what became of it. */
export async function runScan(session: WorkMailSession, org: OrgRef, checkpoint: PreparedCheckpoint | undefined, options: ScanOptions, hooks: ScanRunHooks = {}): Promise<OrganizationScan> {
  const scan = hooks.scan ?? ((s: WorkMailSession, o: OrgRef, opts: ScanOptions) => collectScan(s, o, opts, hooks.now));
  try {
    return await scan(session, org, { ...options, checkpoint: checkpoint?.writer, resume: checkpoint?.resume });
  } catch (err) {
    if (checkpoint && !checkpoint.writer.problem && fs.existsSync(checkpoint.writer.file)) {
      hooks.onKept?.(checkpoint.writer.file);
    }
    throw err;
  } finally {
    if (checkpoint?.writer.problem) {
      hooks.onCheckpointProblem?.(checkpoint.writer.problem);
    }
  }
}

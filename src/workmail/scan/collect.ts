// A whole scan kept in memory, for the callers that want the finished scan rather than the
// stream: the UI's cache, exports, snapshots, drift. Fine for the UI: 50k small records share
// their entities.
import { WorkMailError } from '../errors';
import type { WorkMailSession } from '../session';
import type { OrgRef } from '../types';
import { scanOrganization, type ScanOptions } from './engine';
import type { Directory, GrantRecord, MailboxFailureRecord, OrganizationScan, ResumedScan } from './records';

/** Runs a whole scan and keeps its records, with when each mailbox was read and how a resumed scan came together. */
export async function collectScan(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}, now: () => Date = options.now ?? (() => new Date())): Promise<OrganizationScan> {
  const { resume } = options;
  const began = now();
  const startedAt = resume?.startedAt ?? began;
  let directory: Directory | undefined = options.directory;
  const grants: GrantRecord[] = [];
  const failures: MailboxFailureRecord[] = [];
  const mailboxReadAt = new Map<string, Date>(resume?.mailboxReadAt);
  for await (const record of scanOrganization(session, org, {
    ...options,
    now,
    onDirectory: (listed) => {
      directory = listed;
      options.onDirectory?.(listed);
    },
    onMailboxDone: (mailbox, records, readAt) => {
      if (!records.some((r) => r.type === 'failure')) mailboxReadAt.set(mailbox.id, readAt);
      options.onMailboxDone?.(mailbox, records, readAt);
    },
  })) {
    if (record.type === 'grant') {
      grants.push(record);
    } else {
      failures.push(record);
    }
  }
  if (!directory) {
    throw new WorkMailError('UnexpectedError', 'The scan finished without listing the directory.');
  }
  const resumed: ResumedScan | undefined = resume
    ? { resumedAt: began, checkpointWrittenAt: resume.lastReadAt, mailboxesFromCheckpoint: resume.done.size }
    : undefined;
  return { org, startedAt, readAt: now(), mailboxReadAt, ...(resumed ? { resumed } : {}), directory, grants, failures };
}

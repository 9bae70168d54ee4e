// The scan's public names, so a caller can import `workmail/scan` without knowing which file of
// the folder holds what. New code inside the access layer imports the file it needs.
export { ScanCache } from './cache';
export { collectScan } from './collect';
export { listDirectory, mailboxesOf, type DirectoryOptions } from './directoryListing';
export { scanOrganization, type ScanOptions, type ScanProgress } from './engine';
export type { Directory, GrantRecord, MailboxFailureRecord, OrganizationScan, ResumedScan, ScanRecord } from './records';

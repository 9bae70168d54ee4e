// Users without a mailbox: never registered for mail, or system users. WorkMail lists them with no
// primary email. Whether ListMailboxPermissions answers for them (with nothing) or refuses with
// EntityStateException is not documented (emulator variant mailboxless-list); either way such a
// user holds no delegations, and is shown as having no mailbox, never as a failed read.
import type { DirectoryEntity } from './types';

export function hasNoMailbox(entity: Pick<DirectoryEntity, 'kind' | 'email'>): boolean {
  return entity.kind === 'user' && !entity.email;
}

/** The refusal WorkMail may give for a user without a mailbox: not a failure to read. */
export function isNoMailboxRefusal(err: unknown, entity: Pick<DirectoryEntity, 'kind' | 'email'>): boolean {
  return hasNoMailbox(entity) && typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EntityStateException';
}

// An organization's users, every one, for the rows whose count needs the whole directory (how many
// mailboxes an application reaches). Taken from the Users list when it holds every page unfiltered,
// so nothing is read twice; otherwise read once in the background (ListUsers, 100 a page: calls per
// hundred users, never per mailbox) and kept until the organization is refreshed. A failed read is
// not kept: the next ask reads again.
import * as vscode from 'vscode';
import { CancelledError, isCancellation, toWorkMailError, type WorkMailError } from '../workmail/errors';
import type { DirectoryEntity, Organization } from '../workmail/types';
import type { TreeContext } from './explorerNode';

const USERS_PAGE = 100;

export class OrganizationUsers {
  private users: readonly DirectoryEntity[] | undefined;
  private reading: Promise<readonly DirectoryEntity[]> | undefined;
  private abort: AbortController | undefined;
  private lastFailure: WorkMailError | undefined;

  constructor(
    private readonly context: TreeContext,
    private readonly org: Organization,
    /** Every user the tree has listed already, when its Users list holds them all. */
    private readonly listed: () => readonly DirectoryEntity[] | undefined,
  ) {}

  /** Every user, when known without a call. */
  known(): readonly DirectoryEntity[] | undefined {
    return this.users ?? this.listed();
  }

  /** Why the last read failed, until the next one starts. */
  get failure(): WorkMailError | undefined {
    return this.lastFailure;
  }

  /** Every user: known ones at once, else the one read under way or a new one. */
  all(): Promise<readonly DirectoryEntity[]> {
    const known = this.known();
    if (known) return Promise.resolve(known);
    if (!this.reading) {
      const abort = new AbortController();
      this.abort = abort;
      this.lastFailure = undefined;
      const reading = this.readAll(abort.signal).then(
        (users) => {
          if (abort.signal.aborted) throw new CancelledError();
          this.users = users;
          return users;
        },
        (err: unknown) => {
          if (abort.signal.aborted || isCancellation(err)) throw new CancelledError();
          const failure = toWorkMailError(err, { profile: this.context.session().profile, subject: this.subject() });
          this.lastFailure = failure;
          this.context.log.error(`${this.subject()}: ${failure.message}${failure.detail ? ` (${failure.detail})` : ''}`);
          throw failure;
        },
      );
      this.reading = reading;
      void reading
        .finally(() => {
          if (this.reading === reading) this.reading = undefined;
        })
        .catch(() => undefined);
    }
    return this.reading;
  }

  /** Forget what was read (the organization was refreshed); a read under way is abandoned. */
  reset(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.reading = undefined;
    this.users = undefined;
    this.lastFailure = undefined;
  }

  private async readAll(signal: AbortSignal): Promise<DirectoryEntity[]> {
    const users: DirectoryEntity[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.context.session().listEntitiesPage(this.org, 'user', { maxResults: USERS_PAGE, nextToken }, signal);
      this.context.directory(this.org).remember(page.items);
      users.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return users;
  }

  private subject(): string {
    return vscode.l10n.t('the users of {0}', this.org.alias ?? this.org.organizationId);
  }
}

// A node whose rows come from one read (or a few) rather than pages: a resource's booking
// delegates, an organization's applications and access rules. Read when first opened, kept until
// refreshed; a failure becomes an error item whose click reads again; the row's count is announced
// once the read is in (announcer.ts), never fired while VS Code is reading rows.
import * as vscode from 'vscode';
import { isCancellation, toWorkMailError, type WorkMailError } from '../workmail/errors';
import { ExplorerNode, type Refreshable, type TreeContext } from './explorerNode';
import { ErrorNode, PlaceholderNode } from './messageNodes';

export abstract class LoadedListNode<T> extends ExplorerNode implements Refreshable {
  private items: readonly T[] | undefined;
  private failure: WorkMailError | undefined;
  private reading: Promise<void> | undefined;
  private abort: AbortController | undefined;

  constructor(
    parent: ExplorerNode | undefined,
    protected readonly context: TreeContext,
  ) {
    super(parent);
  }

  /** Everything the node lists. */
  protected abstract read(signal: AbortSignal): Promise<readonly T[]>;
  protected abstract render(items: readonly T[]): ExplorerNode[];
  protected abstract emptyLabel(): string;
  /** What a failure was about ("the booking delegates of room-atlas"). */
  protected abstract subject(): string;

  /** The items once read (undefined before, or after a failure). */
  protected get loaded(): readonly T[] | undefined {
    return this.items;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    if (!this.items && !this.reading) {
      const abort = new AbortController();
      this.abort = abort;
      this.reading = this.read(abort.signal).then(
        (items) => {
          if (abort.signal.aborted) return;
          this.items = items;
          this.failure = undefined;
          this.context.announce(this);
        },
        (err: unknown) => {
          if (abort.signal.aborted || isCancellation(err)) return;
          this.failure = toWorkMailError(err, { profile: this.context.session().profile, subject: this.subject() });
          this.context.log.error(`${this.subject()}: ${this.failure.message}${this.failure.detail ? ` (${this.failure.detail})` : ''}`);
        },
      ).finally(() => {
        if (this.abort === abort) this.reading = undefined;
      });
    }
    await this.reading;
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return [new ErrorNode(this, this.id, failure.message, failure.detail, { title: failure.message, command: 'workmail.refresh', arguments: [this] })];
    }
    const rows = this.render(this.items ?? []);
    return rows.length > 0 ? rows : [new PlaceholderNode(this, this.emptyLabel())];
  }

  refresh(): void {
    this.reset();
    this.context.changed(this);
  }

  /** Forget what was read without telling VS Code: for a parent whose own change covers this node. */
  reset(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.reading = undefined;
    this.items = undefined;
    this.failure = undefined;
  }

  protected collapsed(): vscode.TreeItemCollapsibleState {
    return vscode.TreeItemCollapsibleState.Collapsed;
  }
}

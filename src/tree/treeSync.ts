// The one place the tree and VS Code agree on what changed: every change event of the view goes
// out here, here are counted the changes of each node, here wait the changes nodes announce about
// themselves (announcer.ts), and here a read learns whether it was overtaken.
//
// Why one object: VS Code replaces a node's entry when a change of it (or of a node above it) is
// applied, and rows answered for a replaced entry are filed under it and then refused ("Element
// with id … is already registered", an empty list). Whether a read may answer depends on the same
// changes that go out, in the same order, so they are counted where they are fired.
import * as vscode from 'vscode';
import { QuietAnnouncer } from './announcer';

interface Parented {
  readonly parent: Parented | undefined;
}

export class TreeSync<Node extends Parented> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly announcer = new QuietAnnouncer<Node>((nodes) => this.fire(nodes));
  /** Changes fired per node, and of the whole view. */
  private readonly changesOf = new WeakMap<Node, number>();
  private viewChanges = 0;

  /** Tell VS Code that these nodes (or, with undefined, the whole view) changed. */
  fire(nodes: Node | Node[] | undefined): void {
    if (nodes === undefined) {
      this.viewChanges++;
    } else {
      for (const node of Array.isArray(nodes) ? nodes : [nodes]) {
        this.changesOf.set(node, (this.changesOf.get(node) ?? 0) + 1);
      }
    }
    this.announcer.changed();
    this.emitter.fire(nodes);
  }

  /**
   * `node` changed by itself, not at the person's request: told at the next quiet moment (no read
   * under way, no change fired for a while), once however often asked.
   */
  announce(node: Node): void {
    this.announcer.announce(node);
  }

  /**
   * Runs one read of `node`'s rows (undefined: the root). Rows read while `node` or a node above it
   * changed answer nothing: VS Code has replaced the entry they were read for, and the change makes
   * it read every open row below it again.
   */
  async read(node: Node | undefined, body: () => Promise<Node[]>): Promise<Node[]> {
    return this.announcer.fetching(async () => {
      const before = this.changesAtOrAbove(node);
      const rows = await body();
      return this.changesAtOrAbove(node) === before ? rows : [];
    });
  }

  /** Announcements still waiting for a quiet tree. */
  get waiting(): number {
    return this.announcer.waiting;
  }

  /** Every node was replaced: what they still had to announce is about rows VS Code will not show. */
  forgetAnnouncements(): void {
    this.announcer.clear();
  }

  dispose(): void {
    this.announcer.dispose();
    this.emitter.dispose();
  }

  private changesAtOrAbove(node: Node | undefined): number {
    let total = this.viewChanges;
    for (let at: Parented | undefined = node; at; at = at.parent) {
      total += this.changesOf.get(at as Node) ?? 0;
    }
    return total;
  }
}

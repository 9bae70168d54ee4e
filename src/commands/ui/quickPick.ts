// One quick pick step: items that may keep arriving in the background, a Back button, an
// optional "use what I typed" item resolved on accept, and a snapshot of everything shown for
// the UI it is shown in (commandUi.ts). Dismissing it rejects with DialogDismissedError.
import * as vscode from 'vscode';
import { DialogDismissedError, type CommandUi, type PickChoice, type PickerHost, type PickerItemSnapshot } from './commandUi';

/** The person pressed Back: the multi-step flow returns to the previous step. */
export class BackRequestedError extends Error {
  override readonly name = 'BackRequestedError';

  // By name: a picker built by another copy of this module (a test's) throws its own class.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'BackRequestedError';
  }

  constructor() {
    super('Back');
  }
}

export interface Choice<T> extends PickChoice<T> {
  /**
   * Resolved when accepted, for items whose value needs a lookup (a typed name). A string is a
   * reason to stay in the picker, shown in place of the item.
   */
  readonly resolve?: () => Promise<T | { readonly rejected: string }>;
}

export interface PickStep<T> {
  readonly ui: CommandUi;
  readonly title: string;
  readonly step?: number;
  readonly totalSteps?: number;
  readonly placeholder?: string;
  readonly canSelectMany?: boolean;
  /** Offer the Back button. */
  readonly back?: boolean;
  readonly items?: readonly Choice<T>[];
  /** Loads more items in the background; `append` adds them as they arrive. */
  readonly load?: (append: (items: readonly Choice<T>[]) => void, signal: AbortSignal) => Promise<void>;
  /** Items derived from the text typed so far (shown after the loaded ones, never filtered out). */
  readonly typed?: (value: string) => readonly Choice<T>[];
  /** Multi-select only: accept with nothing checked. */
  readonly allowEmpty?: boolean;
  /**
   * Keeps the choices in this order however they arrive (pages, regions answering in any order);
   * separators (a cap, a failed load) stay after them. Typing still filters as usual.
   */
  readonly order?: (a: Choice<T>, b: Choice<T>) => number;
}

/** The choices sorted by `order`, separators after them in the order they came. */
export function ordered<T>(items: readonly Choice<T>[], order: ((a: Choice<T>, b: Choice<T>) => number) | undefined): Choice<T>[] {
  if (!order) {
    return [...items];
  }
  const separators = items.filter((item) => item.kind === vscode.QuickPickItemKind.Separator);
  return [...items.filter((item) => item.kind !== vscode.QuickPickItemKind.Separator).sort(order), ...separators];
}

function snapshot<T>(picker: vscode.QuickPick<Choice<T>>): PickerItemSnapshot[] {
  const checked = new Set(picker.selectedItems);
  return picker.items.map((item) => ({
    label: item.label,
    description: item.description,
    detail: item.detail,
    picked: picker.canSelectMany ? checked.has(item) : false,
    separator: item.kind === vscode.QuickPickItemKind.Separator,
  }));
}

export function pickOne<T>(spec: PickStep<T>): Promise<T> {
  return spec.ui.pick(spec, (host) => showPick(spec, host)).then((values) => values[0] as T);
}

export function pickMany<T>(spec: PickStep<T>): Promise<T[]> {
  const many = { ...spec, canSelectMany: true };
  return spec.ui.pick(many, (host) => showPick(many, host));
}

function showPick<T>(spec: PickStep<T>, host: PickerHost): Promise<T[]> {
  const picker = host.createQuickPick<Choice<T>>();
  const loadAbort = new AbortController();
  const disposables: vscode.Disposable[] = [picker];
  let loaded: Choice<T>[] = [...(spec.items ?? [])];
  let typed: readonly Choice<T>[] = [];
  let loading = spec.load !== undefined;
  let settled = false;

  picker.title = spec.title;
  picker.step = spec.step;
  picker.totalSteps = spec.totalSteps;
  picker.placeholder = spec.placeholder;
  picker.canSelectMany = spec.canSelectMany === true;
  picker.matchOnDescription = true;
  picker.matchOnDetail = false;
  // A long load or a question in between must not lose the person's place.
  picker.ignoreFocusOut = true;
  picker.buttons = spec.back ? [vscode.QuickInputButtons.Back] : [];

  const emit = (phase: 'shown' | 'items' | 'loaded'): void =>
    host.shown({
      type: 'picker',
      phase,
      title: spec.title,
      step: spec.step,
      totalSteps: spec.totalSteps,
      placeholder: picker.placeholder,
      canSelectMany: picker.canSelectMany,
      items: snapshot(picker),
    });

  let rendered = false;
  const render = (): void => {
    const previouslyChecked = rendered ? new Set(picker.selectedItems) : undefined;
    picker.keepScrollPosition = true;
    picker.items = [...ordered(loaded, spec.order), ...typed];
    if (picker.canSelectMany) {
      // Pre-check once; after that, keep exactly what the person checked.
      picker.selectedItems = picker.items.filter((item) => (previouslyChecked ? previouslyChecked.has(item) : item.picked === true));
    }
    rendered = true;
  };

  return new Promise<T[]>((resolve, reject) => {
    const finish = (action: () => void): void => {
      if (settled) {
        return;
      }
      settled = true;
      loadAbort.abort();
      action();
      picker.hide();
      disposables.forEach((d) => d.dispose());
    };

    disposables.push(
      picker.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) {
          finish(() => reject(new BackRequestedError()));
        }
      }),
      picker.onDidChangeValue((value) => {
        if (!spec.typed) {
          return;
        }
        typed = spec.typed(value.trim());
        render();
        emit('items');
      }),
      picker.onDidAccept(async () => {
        if (settled) {
          return;
        }
        if (picker.canSelectMany) {
          const values = picker.selectedItems.filter((item) => item.value !== undefined).map((item) => item.value as T);
          if (values.length === 0 && !spec.allowEmpty) {
            return;
          }
          finish(() => resolve(values));
          return;
        }
        const chosen = picker.selectedItems[0] ?? picker.activeItems[0];
        if (!chosen) {
          return;
        }
        if (chosen.resolve) {
          picker.busy = true;
          picker.enabled = false;
          try {
            const outcome = await chosen.resolve();
            if (typeof outcome === 'object' && outcome !== null && 'rejected' in outcome) {
              typed = [{ label: `$(warning) ${outcome.rejected}`, alwaysShow: true }];
              render();
              emit('items');
              return;
            }
            finish(() => resolve([outcome as T]));
          } catch (err) {
            finish(() => reject(err));
          } finally {
            if (!settled) {
              picker.busy = loading;
              picker.enabled = true;
            }
          }
          return;
        }
        if (chosen.value !== undefined) {
          finish(() => resolve([chosen.value as T]));
        }
      }),
      picker.onDidHide(() => finish(() => reject(new DialogDismissedError()))),
    );

    render();
    picker.busy = loading;
    picker.show();
    emit('shown');

    if (spec.load) {
      spec
        .load((more) => {
          if (settled || more.length === 0) {
            return;
          }
          loaded = [...loaded, ...more];
          render();
          emit('items');
        }, loadAbort.signal)
        .catch((err: unknown) => {
          if (!settled && !loadAbort.signal.aborted) {
            const reason = err instanceof Error ? err.message : String(err);
            loaded = [...loaded, { label: vscode.l10n.t('Could not load the rest of the list: {0}', reason), kind: vscode.QuickPickItemKind.Separator }];
            render();
          }
        })
        .finally(() => {
          loading = false;
          if (!settled) {
            picker.busy = false;
            emit('loaded');
          }
        });
    } else {
      emit('loaded');
    }
  });
}

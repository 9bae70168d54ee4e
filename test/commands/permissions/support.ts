// Helpers for the permission-command tests: nodes shaped like the tree's, ground truth and the
// call log from the emulator's admin API, and a recorder for what the commands showed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PermissionCommandResult } from '../../../src/commands/permissions';
import type { ScriptedUiEvent as PermissionUiEvent } from '../scriptedUi';
import type { DirectoryEntity, Grant, Organization, Right } from '../../../src/workmail/types';
import { admin, calls, extensionApi } from '../../tree/support';
import { runCommand } from '../run';

export { admin, calls, clearCalls, extensionApi, freshStart, setFaults } from '../../tree/support';

export const ACME_ID = 'm-ac0e0000000000000000000000000001';

export async function acme(): Promise<Organization> {
  const api = await extensionApi();
  const orgs = await api.services.session().listOrganizations('us-east-1');
  const found = orgs.find((org) => org.organizationId === ACME_ID);
  assert.ok(found, 'the sample seed has organization acme in us-east-1');
  return found;
}

/** A user, group or resource of acme by name, through the real SDK. */
export async function entity(org: Organization, name: string): Promise<DirectoryEntity> {
  const api = await extensionApi();
  const found = await api.services.session().findEntity(org, name, undefined, ['user', 'group', 'resource']);
  assert.ok(found, `${name} is in the sample seed`);
  return found;
}

export function mailboxNode(org: Organization, mailbox: DirectoryEntity) {
  return { kind: 'mailbox' as const, org, entity: mailbox };
}

export function granteeNode(org: Organization, mailbox: DirectoryEntity, grantee: DirectoryEntity, rights: readonly Right[]) {
  const grant: Grant = { granteeId: grantee.id, granteeType: grantee.kind === 'group' ? 'GROUP' : 'USER', rights };
  return { kind: 'grantee' as const, org, mailbox, grant, grantee };
}

interface StoredGrant {
  mailboxId: string;
  granteeId: string;
  granteeType: string;
  rights: Right[];
}

/** What the emulator holds, whatever ListMailboxPermissions would say. */
export async function truth(mailboxId: string, granteeId: string): Promise<Right[]> {
  const grants = await admin<StoredGrant[]>('GET', `/organizations/${ACME_ID}/grants`);
  const found = grants.find((grant) => grant.mailboxId === mailboxId && grant.granteeId === granteeId);
  return found ? [...found.rights].sort() : [];
}

/** A change made by "someone else", straight into the emulator. */
export async function changeOutOfBand(mailboxId: string, granteeId: string, rights: Right[]): Promise<void> {
  await admin('PUT', `/organizations/${ACME_ID}/mailboxes/${mailboxId}/grants/${granteeId}`, { rights });
}

/** Put and Delete calls the emulator received (successful or not). */
export async function writes(): Promise<Array<{ operation?: string; params?: Record<string, unknown>; status: number }>> {
  const all = await calls();
  return all.filter((call) => call.operation === 'PutMailboxPermissions' || call.operation === 'DeleteMailboxPermissions');
}

export function sorted(rights: readonly Right[] | undefined): Right[] {
  return [...(rights ?? [])].sort();
}

/** Collects what a command showed, and lets a test wait for a particular moment. */
export class Recorder {
  readonly events: PermissionUiEvent[] = [];
  /** Events before this index were already handed to a `next` call. */
  private cursor = 0;
  private waiter: { test: (event: PermissionUiEvent) => boolean; resolve: (event: PermissionUiEvent) => void } | undefined;

  readonly observe = (event: PermissionUiEvent): void => {
    this.events.push(event);
    if (this.waiter?.test(event)) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      this.cursor = this.events.length;
      resolve(event);
    }
  };

  /** The first event after the last one returned that passes `test`, waiting for it if needed. */
  next(test: (event: PermissionUiEvent) => boolean, timeoutMs = 15_000): Promise<PermissionUiEvent> {
    const index = this.events.findIndex((event, i) => i >= this.cursor && test(event));
    if (index >= 0) {
      this.cursor = index + 1;
      return Promise.resolve(this.events[index] as PermissionUiEvent);
    }
    this.cursor = this.events.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`timed out waiting; saw: ${JSON.stringify(this.events.map(summary))}`));
      }, timeoutMs);
      this.waiter = {
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
    });
  }

  /** The next picker that finished loading, at the given step when one is given. */
  async pickerLoaded(step?: number): Promise<Extract<PermissionUiEvent, { type: 'picker' }>> {
    const event = await this.next((e) => e.type === 'picker' && e.phase === 'loaded' && (step === undefined || e.step === step));
    // Let the workbench render the items it was just sent before a command acts on them.
    await delay(150);
    return event as Extract<PermissionUiEvent, { type: 'picker' }>;
  }

  messages(severity?: 'info' | 'warning' | 'error'): string[] {
    return this.events.flatMap((e) => (e.type === 'message' && (severity === undefined || e.severity === severity) ? [e.text] : []));
  }

  questions(): Array<Extract<PermissionUiEvent, { type: 'question' }>> {
    return this.events.filter((e): e is Extract<PermissionUiEvent, { type: 'question' }> => e.type === 'question');
  }
}

function summary(event: PermissionUiEvent): string {
  return event.type === 'picker' ? `picker ${event.phase} ${event.title} ${event.step ?? ''}` : `${event.type} ${'text' in event ? event.text : ''}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function run(command: string, ...args: unknown[]): Promise<PermissionCommandResult> {
  return runCommand<PermissionCommandResult>(command, ...args);
}

/** Moves the quick pick's focus to the item with this label (as the keyboard would) and accepts. */
export async function acceptItem(picker: Extract<PermissionUiEvent, { type: 'picker' }>, matches: (label: string) => boolean): Promise<void> {
  await focusItem(picker, matches);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

export async function focusItem(picker: Extract<PermissionUiEvent, { type: 'picker' }>, matches: (label: string) => boolean): Promise<void> {
  const selectable = picker.items.filter((item) => !item.separator);
  const index = selectable.findIndex((item) => matches(item.label));
  assert.ok(index >= 0, `no item matches in ${picker.title}: ${selectable.map((item) => item.label).join(' | ')}`);
  // In a single-select list the first item is focused on show; a multi-select list starts unfocused.
  const moves = picker.canSelectMany ? index + 1 : index;
  for (let i = 0; i < moves; i++) {
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  }
}

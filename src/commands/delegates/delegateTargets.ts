// What the two booking-delegate commands share: reading whether each pair is a delegation now
// (what the confirmation names and the write compares against), and the change each makes.
import * as vscode from 'vscode';
import { entityLabel } from '../ui/labels';
import type { PlannedChange } from '../permissions/apply';
import type { BoundSession } from '../permissions/apply';
import { BOOKING_DELEGATE, type DirectoryEntity, type Organization, type Right } from '../../workmail/types';

export interface DelegatePair {
  readonly org: Organization;
  readonly resource: DirectoryEntity;
  readonly delegate: { readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string };
}

/** Whether each pair is a delegation now ([BOOKING_DELEGATE] or []), read fresh with the batch's own writer. */
export function readDelegations(bound: BoundSession, pairs: readonly DelegatePair[]): Thenable<Right[][]> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the booking delegates…') }, () =>
    Promise.all(pairs.map((pair) => bound.writer.readRights(pair.org, pair.resource.id, pair.delegate.id, undefined, 'booking-delegate'))),
  );
}

/** The batch item that makes (add) or ends (remove) one delegation, compared with what was read. */
export function delegateChange(pair: DelegatePair, add: boolean, seen: readonly Right[]): PlannedChange {
  return {
    org: pair.org,
    mailbox: pair.resource,
    grantee: pair.delegate,
    route: 'booking-delegate',
    change: add ? { kind: 'grant', add: [BOOKING_DELEGATE] } : { kind: 'revoke' },
    expectedBefore: seen,
  };
}

export function pairLine(pair: DelegatePair): string {
  return vscode.l10n.t('{0} on {1}', pair.delegate.label, entityLabel(pair.resource));
}

/**
 * Undo last change: puts back exactly the rights read just before the last grant, edit or revoke
 * (all of a batch), after saying what it will do. Each is restored only if the grantee still has
 * what that change wrote; otherwise the person is shown the difference and asked.
 */
import * as vscode from 'vscode';
import { applyAll, bindSession, type CommandContext, type PlannedChange } from './apply';
import { guarded, NOTHING_TO_DO, report } from './permissionRun';
import type { RecordedChange } from './history';
import { entityLabel, rightsWords } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import type { PermissionCommandResult } from './types';

export async function undoLastChange(ctx: CommandContext): Promise<PermissionCommandResult> {
  const { services, ui, history } = ctx;
  const last = history.peek();
  if (!last) {
    ui.info(vscode.l10n.t('There is no permission change to undo.'));
    return NOTHING_TO_DO;
  }
  const subject = (): string => [...new Set(last.changes.map((c) => entityLabel(c.mailbox)))].join(', ');
  return guarded(ctx, 'undo', subject, async () => {
    // Checked and written with one session, taken before the question: a switch while it is open
    // cannot send the undo to another account or endpoint than the one checked.
    const bound = bindSession(services);
    const { session } = bound;
    if ((last.profile ?? '') !== (session.profile ?? '')) {
      throw new InvalidChoiceError(
        vscode.l10n.t('the last change was made with profile "{0}"; switch back to it to undo that change.', last.profile ?? vscode.l10n.t('default credentials')),
      );
    }
    if ((last.endpoint ?? '') !== (session.endpoint ?? '')) {
      throw new InvalidChoiceError(
        vscode.l10n.t('the last change was made at {0}, and WorkMail is now reached at {1}; set workmail.endpoint back to undo that change.', last.endpoint ?? vscode.l10n.t('the AWS endpoint'), session.endpoint ?? vscode.l10n.t('the AWS endpoint')),
      );
    }
    for (const change of last.changes) {
      const account = await session.accountOf(change.org).catch(() => '?');
      if (change.account && change.account !== '?' && account !== '?' && account !== change.account) {
        throw new InvalidChoiceError(
          vscode.l10n.t('the last change was made in AWS account {0}, and profile "{1}" now signs in to account {2}; use the credentials of account {0} to undo it.', change.account, session.profile ?? vscode.l10n.t('default credentials'), account),
        );
      }
    }
    // A delegation is undone by adding or removing the delegate: said so, not as rights.
    const line = (c: RecordedChange): string =>
      c.route === 'booking-delegate'
        ? c.before.length > 0
          ? vscode.l10n.t('{0}: a booking delegate of {1} again', c.grantee.label, entityLabel(c.mailbox))
          : vscode.l10n.t('{0}: no longer a booking delegate of {1}', c.grantee.label, entityLabel(c.mailbox))
        : vscode.l10n.t('{0} on {1}: back to {2} (now {3})', c.grantee.label, entityLabel(c.mailbox), rightsWords(c.before), rightsWords(c.after));
    const question = (c: RecordedChange): string =>
      c.route === 'booking-delegate'
        ? c.before.length > 0
          ? vscode.l10n.t('Undo the last change: make {0} a booking delegate of {1} again?', c.grantee.label, entityLabel(c.mailbox))
          : vscode.l10n.t('Undo the last change: remove {0} from the booking delegates of {1}?', c.grantee.label, entityLabel(c.mailbox))
        : vscode.l10n.t('Undo the last change: give {0} back {1} on {2}?', c.grantee.label, rightsWords(c.before), entityLabel(c.mailbox));
    const single = last.changes.length === 1 ? last.changes[0] : undefined;
    const confirmed = await ui.confirm(
      single
        ? question(single)
        : last.changes.every((c) => c.route === 'booking-delegate')
          ? vscode.l10n.t('Undo the last change on {0} resources?', last.changes.length)
          : vscode.l10n.t('Undo the last change on {0} mailboxes?', last.changes.length),
      last.changes.map(line).join('\n'),
      vscode.l10n.t('Undo'),
    );
    if (!confirmed) {
      return { outcome: 'cancelled', items: [] };
    }
    const planned: PlannedChange[] = last.changes.map((c) => ({
      org: c.org,
      mailbox: c.mailbox,
      grantee: c.grantee,
      route: c.route,
      change: c.before.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: c.before },
      expectedBefore: c.after,
    }));
    const outcomes = await applyAll(ctx, 'undo', vscode.l10n.t('Undoing the last permission change…'), planned, bound);
    // What could not be undone stays undoable; what was undone is gone from the history.
    history.keepOnly(last, last.changes.filter((_, index) => !['changed', 'unchanged'].includes(outcomes[index]?.status ?? '')));
    return report(ui, services.log, 'undo', outcomes);
  });
}

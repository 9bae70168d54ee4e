/**
 * Edit permissions (grantee node): the rights multi-select pre-checked with what the grantee has
 * now; the result is the exact set. Unchecking everything is a revoke, confirmed first.
 */
import * as vscode from 'vscode';
import { sameRights } from '../../workmail/rights';
import { applyAll, bindSession, type CommandContext, type Verb } from './apply';
import { checkRights, guarded, NOTHING_TO_DO, report, rightsAsSeen, type CommandArgs } from './permissionRun';
import { entityLabel, rightsWords } from '../ui/labels';
import { chooseRights, InvalidChoiceError, offeredRights } from '../ui/pickers';
import { isGranteeNode, type PermissionCommandResult } from './types';
import { grantById } from '../nodes';

export async function editPermissions(ctx: CommandContext, args: CommandArgs): Promise<PermissionCommandResult> {
  const { services, ui } = ctx;
  const { node, options } = args;
  if (!isGranteeNode(node)) {
    ui.error(vscode.l10n.t('Choose a grantee under a mailbox in the WorkMail view to edit its permissions.'));
    return { outcome: 'failed', items: [], reason: 'no grantee' };
  }
  const { org, mailbox } = node;
  const grant = grantById(node.grant, node.grantee);
  const label = entityLabel(node.grantee, node.grant.granteeId);
  const mailboxName = entityLabel(mailbox);

  return guarded(ctx, 'edit', () => mailboxName, async () => {
    const bound = bindSession(ctx.services);
    const current = await rightsAsSeen(ctx, org, mailbox, grant.granteeId);
    let chosen;
    if (options.rights !== undefined) {
      chosen = checkRights(options.rights);
      const offered = offeredRights([mailbox.kind], current);
      const unfit = chosen.filter((right) => !offered.includes(right));
      if (unfit.length > 0) {
        throw new InvalidChoiceError(vscode.l10n.t('{0} cannot be given on {1}: a group has no mailbox of its own to open.', rightsWords(unfit), mailboxName));
      }
    } else {
      chosen = await chooseRights(ui, {
        title: vscode.l10n.t('Edit permissions of {0} on {1}', label, mailboxName),
        mailboxKinds: [mailbox.kind],
        current,
        allowEmpty: true,
        placeholder: vscode.l10n.t('Check the rights {0} should have; uncheck all to remove access', label),
      });
    }
    if (sameRights(chosen, current) && options.rights === undefined) {
      ui.info(vscode.l10n.t('{0} keeps {1} on {2}; nothing was changed.', label, rightsWords(current), mailboxName));
      return NOTHING_TO_DO;
    }

    let verb: Verb = 'edit';
    if (chosen.length === 0) {
      verb = 'revoke';
      const confirmed = await ui.confirm(
        vscode.l10n.t('Remove all permissions of {0} on {1}?', label, mailboxName),
        vscode.l10n.t('{0} will lose {1} on {2}.', label, rightsWords(current), mailboxName),
        vscode.l10n.t('Remove Access'),
      );
      if (!confirmed) {
        return { outcome: 'cancelled', items: [] };
      }
    }

    const outcomes = await applyAll(ctx, verb, vscode.l10n.t('Updating permissions on {0}…', mailboxName), [
      {
        org,
        mailbox,
        grantee: { id: grant.granteeId, type: grant.granteeType, label },
        change: chosen.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: chosen },
        expectedBefore: current,
      },
    ], bound);
    return report(ui, services.log, verb, outcomes);
  });
}

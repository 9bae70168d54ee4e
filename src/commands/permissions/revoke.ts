/**
 * Revoke permissions: on grantee nodes (one or a multi-selection), or from the palette:
 * organization → mailbox → one of its grantees. One modal confirmation names every grantee,
 * mailbox and the rights they lose; each is removed only if still exactly what was shown.
 */
import * as vscode from 'vscode';
import { guarded, multiSelection, report, type CommandArgs } from './permissionRun';
import { required, runWizard } from '../ui/wizard';
import { applyAll, bindSession, type CommandContext, type PlannedChange } from './apply';
import { entityLabel, rightsWords } from '../ui/labels';
import { chooseEntity, chooseGrant, chooseOrganization } from '../ui/pickers';
import { isGranteeNode, isMailboxNode, isOrganizationNode, type PermissionCommandResult } from './types';
import { grantById } from '../nodes';
import type { DirectoryEntity, Grant, Organization } from '../../workmail/types';
import { readShowSystemUsers } from '../../settings';

interface RevokeTarget {
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grant: Grant;
  readonly label: string;
}

export async function revokePermissions(ctx: CommandContext, args: CommandArgs): Promise<PermissionCommandResult> {
  const { services, ui } = ctx;
  const { node, options } = args;
  const selected = multiSelection(args, isGranteeNode);
  const fromNodes = selected.length > 0 ? selected : isGranteeNode(node) ? [node] : [];
  const targets: RevokeTarget[] = fromNodes.map((n) => ({ org: n.org, mailbox: n.mailbox, grant: grantById(n.grant, n.grantee), label: entityLabel(n.grantee, n.grant.granteeId) }));

  // What the node answered; a step it did not answer asks (again after Back).
  const presetOrg = isOrganizationNode(node) || isMailboxNode(node) ? node.org : undefined;
  const presetMailbox = isMailboxNode(node) ? node.entity : undefined;
  const state: { org?: Organization; mailbox?: DirectoryEntity } = { org: presetOrg, mailbox: presetMailbox };
  const subject = (): string => [...new Set(targets.map((t) => entityLabel(t.mailbox)))].join(', ') || (state.mailbox ? entityLabel(state.mailbox) : '');

  return guarded(ctx, 'revoke', subject, async () => {
    const bound = bindSession(ctx.services);
    if (targets.length === 0) {
      const title = vscode.l10n.t('Revoke mailbox permissions');
      await runWizard(state, [
        {
          answered: presetOrg !== undefined || options.organization !== undefined,
          run: async (s, back) => {
            s.org = presetOrg && options.organization === undefined ? presetOrg : await chooseOrganization(services, ui, { title, step: 1, totalSteps: 3, back }, options.organization);
          },
        },
        {
          answered: presetMailbox !== undefined || options.mailbox !== undefined,
          run: async (s, back) => {
            if (presetMailbox && options.mailbox === undefined) {
              return;
            }
            s.mailbox = await chooseEntity(
              services,
              ui,
              required(s.org, 'the organization'),
              { title, step: 2, totalSteps: 3, back, placeholder: vscode.l10n.t('Choose the mailbox (type to filter)') },
              { kinds: ['user', 'group', 'resource'], hide: (entity) => entity.userRole === 'SYSTEM_USER' && !readShowSystemUsers() },
              options.mailbox,
            );
          },
        },
        {
          answered: options.grantee !== undefined,
          run: async (s, back) => {
            const org = required(s.org, 'the organization');
            const mailbox = required(s.mailbox, 'the mailbox');
            const chosen = await chooseGrant(services, ui, org, mailbox, { title, step: 3, totalSteps: 3, back }, options.grantee);
            targets.push({ org, mailbox, grant: grantById(chosen.grant, chosen.grantee), label: entityLabel(chosen.grantee, chosen.grant.granteeId) });
          },
        },
      ]);
    }

    // Fresh reads: the confirmation names what each grantee really has now, and each removal
    // happens only if that is still so when it is written.
    const seen = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the current permissions…') },
      () =>
        Promise.all(
          targets.map((t) => services.shownRights(t.org, t.mailbox.id, t.grant.granteeId)),
        ),
    );
    const single = targets.length === 1 ? targets[0] : undefined;
    const text = single
      ? vscode.l10n.t('Revoke all permissions of {0} on {1}?', single.label, entityLabel(single.mailbox))
      : vscode.l10n.t('Revoke the permissions of {0} grantees?', targets.length);
    const detail = targets
      .map((t, index) => {
        const rights = seen[index] ?? [];
        return rights.length === 0
          ? vscode.l10n.t('{0} on {1}: has no permissions there any more', t.label, entityLabel(t.mailbox))
          : vscode.l10n.t('{0} on {1} loses {2}', t.label, entityLabel(t.mailbox), rightsWords(rights));
      })
      .join('\n');
    const confirmed = await ui.confirm(text, detail, vscode.l10n.t('Revoke'));
    if (!confirmed) {
      return { outcome: 'cancelled', items: [] };
    }

    const planned: PlannedChange[] = targets.map((t, index) => ({
      org: t.org,
      mailbox: t.mailbox,
      grantee: { id: t.grant.granteeId, type: t.grant.granteeType, label: t.label },
      change: { kind: 'revoke' },
      expectedBefore: seen[index] ?? [],
    }));
    const title = single ? vscode.l10n.t('Revoking permissions on {0}…', entityLabel(single.mailbox)) : vscode.l10n.t('Revoking {0} permissions…', targets.length);
    const outcomes = await applyAll(ctx, 'revoke', title, planned, bound);
    return report(ui, services.log, 'revoke', outcomes);
  });
}

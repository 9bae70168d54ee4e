/**
 * Remove Booking Delegate: on a delegate row (one, or a multi-selection), or from the palette:
 * organization → resource → one of its delegates. One modal confirmation names each; each is
 * removed only if it is still a delegate. Removing the last delegate of a resource that does not
 * accept requests automatically asks again, with the state read just before the write.
 */
import * as vscode from 'vscode';
import { guarded, multiSelection, report, type CommandArgs } from '../permissions/permissionRun';
import { applyAll, bindSession, type CommandContext } from '../permissions/apply';
import { isBookingDelegateNode, isBookingDelegatesNode, isMailboxNode, isOrganizationNode } from '../nodes';
import { entityLabel } from '../ui/labels';
import { chooseBookingDelegate, chooseEntity, chooseOrganization } from '../ui/pickers';
import { required, runWizard } from '../ui/wizard';
import type { PermissionCommandResult } from '../permissions/types';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { delegateChange, pairLine, readDelegations, type DelegatePair } from './delegateTargets';

export async function removeBookingDelegate(ctx: CommandContext, args: CommandArgs): Promise<PermissionCommandResult> {
  const { services, ui } = ctx;
  const { node, options } = args;
  const selected = multiSelection(args, isBookingDelegateNode);
  const fromNodes = selected.length > 0 ? selected : isBookingDelegateNode(node) ? [node] : [];
  const pairs: DelegatePair[] = fromNodes.map((n) => ({
    org: n.org,
    resource: n.resource,
    delegate: { id: n.delegate.id, type: n.delegate.type, label: n.grantee ? entityLabel(n.grantee) : n.delegate.id },
  }));
  const presetOrg = isOrganizationNode(node) || isMailboxNode(node) || isBookingDelegatesNode(node) ? node.org : undefined;
  const presetResource = isBookingDelegatesNode(node) ? node.resource : isMailboxNode(node) && node.entity.kind === 'resource' ? node.entity : undefined;
  const state: { org?: Organization; resource?: DirectoryEntity } = { org: presetOrg, resource: presetResource };
  const subject = (): string => [...new Set(pairs.map((pair) => entityLabel(pair.resource)))].join(', ') || (state.resource ? entityLabel(state.resource) : '');

  return guarded(ctx, 'undelegate', subject, async () => {
    const bound = bindSession(services);
    if (pairs.length === 0) {
      const title = vscode.l10n.t('Remove a booking delegate');
      await runWizard(state, [
        {
          answered: presetOrg !== undefined && options.organization === undefined,
          run: async (s, back) => {
            // A step answered ahead still runs (Back only skips it): it keeps what the node gave.
            s.org = presetOrg && options.organization === undefined ? presetOrg : await chooseOrganization(services, ui, { title, step: 1, totalSteps: 3, back }, options.organization);
          },
        },
        {
          answered: presetResource !== undefined && options.mailbox === undefined,
          run: async (s, back) => {
            if (presetResource && options.mailbox === undefined) {
              return;
            }
            s.resource = await chooseEntity(
              services,
              ui,
              required(s.org, 'the organization'),
              { title, step: 2, totalSteps: 3, back, placeholder: vscode.l10n.t('Choose the room or equipment (type to filter)') },
              { kinds: ['resource'] },
              options.mailbox,
            );
          },
        },
        {
          answered: false,
          run: async (s, back) => {
            const org = required(s.org, 'the organization');
            const resource = required(s.resource, 'the resource');
            const delegate = await chooseBookingDelegate(services, ui, org, resource, { title, step: 3, totalSteps: 3, back }, options.grantee);
            pairs.push({ org, resource, delegate });
          },
        },
      ]);
    }
    const seen = await readDelegations(bound, pairs);
    const single = pairs.length === 1 ? pairs[0] : undefined;
    const confirmed = await ui.confirm(
      single
        ? vscode.l10n.t('Remove {0} as booking delegate of {1}?', single.delegate.label, entityLabel(single.resource))
        : vscode.l10n.t('Remove {0} booking delegates?', pairs.length),
      [
        ...pairs.map((pair, index) => ((seen[index] ?? []).length === 0 ? vscode.l10n.t('{0}: no longer a delegate', pairLine(pair)) : pairLine(pair))),
        vscode.l10n.t('A removed delegate no longer receives the booking requests.'),
      ].join('\n'),
      vscode.l10n.t('Remove'),
    );
    if (!confirmed) {
      return { outcome: 'cancelled', items: [] };
    }
    const planned = pairs.map((pair, index) => delegateChange(pair, false, seen[index] ?? []));
    const progressTitle = single ? vscode.l10n.t('Removing a booking delegate of {0}…', entityLabel(single.resource)) : vscode.l10n.t('Removing {0} booking delegates…', pairs.length);
    const outcomes = await applyAll(ctx, 'undelegate', progressTitle, planned, bound);
    return report(ui, services.log, 'undelegate', outcomes);
  });
}

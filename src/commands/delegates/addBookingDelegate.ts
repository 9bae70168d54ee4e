/**
 * Add Booking Delegate…: on a room or equipment (one, or a multi-selection: the same delegate for
 * each), on its "Booking delegates" row, or from the palette: organization → resource → user or
 * group. The delegate then receives the resource's booking requests and can open its calendar.
 * One write per resource through the batch engine, read back, logged and undoable.
 */
import * as vscode from 'vscode';
import { guarded, multiSelection, report, type CommandArgs } from '../permissions/permissionRun';
import { applyAll, bindSession, type CommandContext } from '../permissions/apply';
import { isBookingDelegatesNode, isMailboxNode, isOrganizationNode } from '../nodes';
import { entityLabel } from '../ui/labels';
import { chooseEntity, chooseOrganization, InvalidChoiceError } from '../ui/pickers';
import { required, runWizard } from '../ui/wizard';
import type { PermissionCommandResult } from '../permissions/types';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { delegateChange, pairLine, readDelegations, type DelegatePair } from './delegateTargets';

const isResourceNode = (value: unknown): value is { kind: 'mailbox'; org: Organization; entity: DirectoryEntity } => isMailboxNode(value) && value.entity.kind === 'resource';

export async function addBookingDelegate(ctx: CommandContext, args: CommandArgs): Promise<PermissionCommandResult> {
  const { services, ui } = ctx;
  const { node, options } = args;
  const selected = multiSelection(args, isResourceNode);
  const fromNodes: { org: Organization; resource: DirectoryEntity }[] =
    selected.length > 0
      ? selected.map((n) => ({ org: n.org, resource: n.entity }))
      : isResourceNode(node)
        ? [{ org: node.org, resource: node.entity }]
        : isBookingDelegatesNode(node)
          ? [{ org: node.org, resource: node.resource }]
          : [];
  if (isMailboxNode(node) && node.entity.kind !== 'resource') {
    ui.error(vscode.l10n.t('{0} is not a room or equipment: booking delegates belong to resources.', entityLabel(node.entity)));
    return { outcome: 'failed', items: [], reason: 'not a resource' };
  }
  const presetOrg = fromNodes[0]?.org ?? (isOrganizationNode(node) ? node.org : undefined);
  const state: { org?: Organization; resources: DirectoryEntity[]; delegate?: DirectoryEntity } = { org: presetOrg, resources: fromNodes.map((n) => n.resource) };
  const subject = (): string => state.resources.map((resource) => entityLabel(resource)).join(', ');

  return guarded(ctx, 'delegate', subject, async () => {
    const bound = bindSession(services);
    // One delegate is chosen from one organization's directory: it cannot be a delegate elsewhere.
    if (fromNodes.some((n) => n.org.organizationId !== presetOrg?.organizationId || n.org.region !== presetOrg.region)) {
      throw new InvalidChoiceError(vscode.l10n.t('The selected resources belong to different organizations; select rooms or equipment of one organization.'));
    }
    const title = vscode.l10n.t('Add a booking delegate');
    await runWizard(state, [
      {
        answered: presetOrg !== undefined && options.organization === undefined,
        run: async (s, back) => {
          // A step answered ahead still runs (Back only skips it): it keeps what the node gave.
          s.org = presetOrg && options.organization === undefined ? presetOrg : await chooseOrganization(services, ui, { title, step: 1, totalSteps: 3, back }, options.organization);
        },
      },
      {
        answered: fromNodes.length > 0 && options.mailbox === undefined,
        run: async (s, back) => {
          if (fromNodes.length > 0 && options.mailbox === undefined) {
            return;
          }
          const resource = await chooseEntity(
            services,
            ui,
            required(s.org, 'the organization'),
            { title, step: 2, totalSteps: 3, back, placeholder: vscode.l10n.t('Choose the room or equipment (type to filter)') },
            { kinds: ['resource'] },
            options.mailbox,
          );
          s.resources = [resource];
        },
      },
      {
        answered: false,
        run: async (s, back) => {
          const org = required(s.org, 'the organization');
          s.delegate = await chooseEntity(
            services,
            ui,
            org,
            { title, step: 3, totalSteps: 3, back, placeholder: vscode.l10n.t('Who receives the booking requests of {0}? (a user or group; type to filter)', subject()) },
            {
              kinds: ['user', 'group'],
              hide: (entity) => entity.userRole === 'RESOURCE' || entity.userRole === 'SYSTEM_USER' || entity.state !== 'ENABLED',
              reject: (entity) =>
                entity.userRole === 'RESOURCE'
                  ? vscode.l10n.t('{0} is a room or equipment; a booking delegate is a user or group.', entityLabel(entity))
                  : entity.state !== 'ENABLED'
                    ? vscode.l10n.t('{0} is {1} in WorkMail; enable it first.', entityLabel(entity), entity.state === 'DELETED' ? vscode.l10n.t('deleted') : vscode.l10n.t('disabled'))
                    : undefined,
            },
            options.grantee,
          );
        },
      },
    ]);
    const org = required(state.org, 'the organization');
    const delegate = required(state.delegate, 'the delegate');
    if (delegate.kind !== 'user' && delegate.kind !== 'group') {
      throw new InvalidChoiceError(vscode.l10n.t('{0} is not a user or group.', entityLabel(delegate)));
    }
    const pairs: DelegatePair[] = state.resources.map((resource) => ({ org, resource, delegate: { id: delegate.id, type: delegate.kind === 'group' ? 'GROUP' : 'USER', label: entityLabel(delegate) } }));
    const seen = await readDelegations(bound, pairs);
    if (pairs.length > 1) {
      const confirmed = await ui.confirm(
        vscode.l10n.t('Make {0} a booking delegate of {1} resources?', entityLabel(delegate), pairs.length),
        pairs.map((pair, index) => ((seen[index] ?? []).length > 0 ? vscode.l10n.t('{0}: already a delegate', pairLine(pair)) : pairLine(pair))).join('\n'),
        vscode.l10n.t('Add Delegate'),
      );
      if (!confirmed) {
        return { outcome: 'cancelled', items: [] };
      }
    }
    const planned = pairs.map((pair, index) => delegateChange(pair, true, seen[index] ?? []));
    const progressTitle = pairs.length === 1 ? vscode.l10n.t('Adding a booking delegate to {0}…', subject()) : vscode.l10n.t('Adding a booking delegate to {0} resources…', pairs.length);
    const outcomes = await applyAll(ctx, 'delegate', progressTitle, planned, bound);
    return report(ui, services.log, 'delegate', outcomes);
  });
}

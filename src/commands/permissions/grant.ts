/**
 * Grant permissions: choose a grantee and the rights to ADD. On a mailbox node: grantee → rights.
 * From the palette: organization → mailbox → grantee → rights, with Back. On several mailbox
 * nodes: the same grantee and rights on each, one confirmation, a per-mailbox summary.
 *
 * The rights picker is pre-checked with what the grantee already has, so unchecking one is an
 * explicit request to remove it: that is asked about rather than done silently (grant only adds).
 */
import * as vscode from 'vscode';
import { readShowSystemUsers } from '../../settings';
import { normalizeRights, rightsAllowedOn, rightsDiff, sameRights } from '../../workmail/rights';
import type { DirectoryEntity, Organization, Right } from '../../workmail/types';
import { applyAll, bindSession, type CommandContext, type PlannedChange, type Verb } from './apply';
import { checkRights, guarded, multiSelection, NOTHING_TO_DO, report, rightsAsSeen, type CommandArgs } from './permissionRun';
import { required, runWizard } from '../ui/wizard';
import { entityLabel, entityLongLabel, rightsWords } from '../ui/labels';
import { chooseEntity, chooseOrganization, chooseRights, InvalidChoiceError, type EntityRules } from '../ui/pickers';
import { granteeTypeOf, isGranteeNode, isMailboxNode, isOrganizationNode, type MailboxNodeLike, type PermissionCommandResult } from './types';
import type { PermissionChange } from '../../workmail/permissions';

/** Who can be a grantee of `mailboxes`: users and groups, never a mailbox itself. */
export function granteeRules(mailboxes: readonly DirectoryEntity[]): EntityRules {
  const ids = new Set(mailboxes.map((mailbox) => mailbox.id));
  const showSystem = readShowSystemUsers();
  return {
    kinds: ['user', 'group'],
    reject: (entity) =>
      ids.has(entity.id) ? vscode.l10n.t('{0} is the mailbox itself; choose someone else.', entityLabel(entity)) : entity.state === 'DELETED' ? vscode.l10n.t('{0} is deleted.', entityLabel(entity)) : undefined,
    // Resource users stand for room and equipment mailboxes, not people.
    hide: (entity) => entity.userRole === 'RESOURCE' || (!showSystem && entity.userRole === 'SYSTEM_USER'),
  };
}

/** What the grant dialog has chosen so far. */
interface GrantState {
  org?: Organization;
  mailbox?: DirectoryEntity;
  grantee?: DirectoryEntity;
  /** The grantee's rights as read when the rights step opened: the write compares with them. */
  current: Right[];
  chosen: Right[];
}

export async function grantPermissions(ctx: CommandContext, args: CommandArgs): Promise<PermissionCommandResult> {
  const many = multiSelection(args, isMailboxNode);
  if (many.length > 0) {
    return grantOnMany(ctx, args, many);
  }
  const { services, ui } = ctx;
  const { options, node } = args;
  const title = vscode.l10n.t('Grant mailbox permissions');

  // What the node answered; a step it did not answer asks (again after Back).
  const presetOrg = isMailboxNode(node) || isOrganizationNode(node) || isGranteeNode(node) ? node.org : undefined;
  const presetMailbox = isMailboxNode(node) ? node.entity : isGranteeNode(node) ? node.mailbox : undefined;
  const presetGrantee = isGranteeNode(node) && node.grantee ? node.grantee : undefined;
  const state: GrantState = { org: presetOrg, mailbox: presetMailbox, grantee: presetGrantee, current: [], chosen: [] };

  return guarded(ctx, 'grant', () => (state.mailbox ? entityLabel(state.mailbox) : ''), async () => {
    const bound = bindSession(ctx.services);
    const fromNode = presetMailbox !== undefined;
    const total = fromNode ? 2 : 4;
    const offset = fromNode ? -2 : 0;
    const stepTitle = (): string => (fromNode && state.mailbox ? vscode.l10n.t('Grant permissions on {0}', entityLabel(state.mailbox)) : title);
    const given = {
      organization: options.organization !== undefined || presetOrg !== undefined,
      mailbox: options.mailbox !== undefined || fromNode,
      grantee: options.grantee !== undefined || presetGrantee !== undefined,
      rights: options.rights !== undefined,
    };

    await runWizard<GrantState>(state, [
      {
        answered: given.organization,
        run: async (s, back) => {
          s.org = presetOrg && options.organization === undefined ? presetOrg : await chooseOrganization(services, ui, { title, step: 1, totalSteps: total, back }, options.organization);
        },
      },
      {
        answered: given.mailbox,
        run: async (s, back) => {
          if (fromNode && options.mailbox === undefined) {
            return;
          }
          s.mailbox = await chooseEntity(
            services,
            ui,
            required(s.org, 'the organization'),
            { title, step: 2, totalSteps: total, back, placeholder: vscode.l10n.t('Choose the mailbox to share (type to filter)') },
            { kinds: ['user', 'group', 'resource'], hide: (entity) => entity.userRole === 'SYSTEM_USER' && !readShowSystemUsers() },
            options.mailbox,
          );
        },
      },
      {
        answered: given.grantee,
        run: async (s, back) => {
          if (presetGrantee && options.grantee === undefined) {
            return;
          }
          const target = required(s.mailbox, 'the mailbox');
          s.grantee = await chooseEntity(
            services,
            ui,
            required(s.org, 'the organization'),
            {
              title: stepTitle(),
              step: 3 + offset,
              totalSteps: total,
              back,
              placeholder: vscode.l10n.t('Who should get access to {0}? Type a name or email address to filter', entityLabel(target)),
            },
            granteeRules([target]),
            options.grantee,
          );
        },
      },
      {
        answered: given.rights,
        run: async (s, back) => {
          const target = required(s.mailbox, 'the mailbox');
          const person = required(s.grantee, 'the grantee');
          const current = await rightsAsSeen(ctx, required(s.org, 'the organization'), target, person.id);
          s.current = current;
          if (options.rights !== undefined) {
            s.chosen = checkRights(options.rights);
            return;
          }
          s.chosen = await chooseRights(ui, {
            title: stepTitle(),
            step: 4 + offset,
            totalSteps: total,
            back,
            mailboxKinds: [target.kind],
            current,
            allowEmpty: current.length > 0,
            placeholder:
              current.length > 0
                ? vscode.l10n.t('{0} has {1}. Check the rights to add', entityLabel(person), rightsWords(current))
                : vscode.l10n.t('Choose the rights to give {0}', entityLabel(person)),
          });
        },
      },
    ]);

    const org = required(state.org, 'the organization');
    const target = required(state.mailbox, 'the mailbox');
    const person = required(state.grantee, 'the grantee');
    const { current, chosen } = state;
    const granteeType = granteeTypeOf(person.kind);
    if (!granteeType) {
      throw new InvalidChoiceError(vscode.l10n.t('{0} is a {1}; permissions can only be given to users and groups.', entityLabel(person), person.kind));
    }
    let verb: Verb = 'grant';
    let change: PermissionChange;
    const { added, removed } = rightsDiff(current, chosen);
    if (options.rights !== undefined) {
      // A caller's rights are always added: an automated grant can never remove one.
      if (chosen.length === 0) {
        throw new InvalidChoiceError(vscode.l10n.t('Choose at least one right to grant.'));
      }
      change = { kind: 'grant', add: chosen };
    } else if (removed.length > 0) {
      const removeLabel = vscode.l10n.t('Remove {0}', rightsWords(removed));
      const keepLabel = vscode.l10n.t('Keep {0}', rightsWords(removed));
      const answer = await ui.choose(
        'removeUnchecked',
        vscode.l10n.t('You unchecked {0}, which {1} already has on {2}.', rightsWords(removed), entityLabel(person), entityLabel(target)),
        [
          vscode.l10n.t('Granting only adds rights. Remove {0} as well, so {1} ends with {2}?', rightsWords(removed), entityLabel(person), rightsWords(chosen)),
          added.length > 0 ? vscode.l10n.t('Or keep it and only add {0}.', rightsWords(added)) : vscode.l10n.t('Or keep it and change nothing.'),
        ].join('\n'),
        [removeLabel, keepLabel],
      );
      if (answer === undefined) {
        return { outcome: 'cancelled', items: [] };
      }
      if (answer === removeLabel) {
        verb = chosen.length === 0 ? 'revoke' : 'edit';
        change = chosen.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: chosen };
      } else if (added.length === 0) {
        return NOTHING_TO_DO;
      } else {
        change = { kind: 'grant', add: added };
      }
    } else if (added.length === 0) {
      ui.info(vscode.l10n.t('{0} already has {1} on {2}; nothing was changed.', entityLabel(person), rightsWords(current), entityLabel(target)));
      return NOTHING_TO_DO;
    } else {
      change = { kind: 'grant', add: chosen };
    }

    const planned: PlannedChange = {
      org,
      mailbox: target,
      grantee: { id: person.id, type: granteeType, label: entityLabel(person) },
      change,
      expectedBefore: current,
    };
    const outcomes = await applyAll(ctx, verb, vscode.l10n.t('Updating permissions on {0}…', entityLabel(target)), [planned], bound);
    return report(ui, services.log, verb, outcomes);
  });
}

async function grantOnMany(ctx: CommandContext, args: CommandArgs, nodes: readonly MailboxNodeLike[]): Promise<PermissionCommandResult> {
  const { services, ui } = ctx;
  const { options } = args;
  const first = nodes[0] as MailboxNodeLike;
  const org = first.org;
  const mailboxes = nodes.map((node) => node.entity);
  const title = vscode.l10n.t('Grant permissions on {0} mailboxes', mailboxes.length);

  return guarded(ctx, 'grant', () => mailboxes.map((m) => entityLabel(m)).join(', '), async () => {
    const bound = bindSession(ctx.services);
    if (nodes.some((node) => node.org.organizationId !== org.organizationId)) {
      throw new InvalidChoiceError(vscode.l10n.t('The selected mailboxes belong to different organizations; select mailboxes of one organization.'));
    }
    const state = await runWizard<{ grantee?: DirectoryEntity; rights: Right[] }>({ rights: [] }, [
      {
        answered: options.grantee !== undefined,
        run: async (s, back) => {
          s.grantee = await chooseEntity(
            services,
            ui,
            org,
            { title, step: 1, totalSteps: 2, back, placeholder: vscode.l10n.t('Who should get access to these mailboxes? Type a name or email address to filter') },
            granteeRules(mailboxes),
            options.grantee,
          );
        },
      },
      {
        answered: options.rights !== undefined,
        run: async (s, back) => {
          s.rights =
            options.rights !== undefined
              ? checkRights(options.rights)
              : await chooseRights(ui, {
                  title,
                  step: 2,
                  totalSteps: 2,
                  back,
                  mailboxKinds: mailboxes.map((m) => m.kind),
                  current: [],
                  allowEmpty: false,
                  placeholder: vscode.l10n.t('Choose the rights to add to {0} on every selected mailbox', entityLabel(s.grantee)),
                });
        },
      },
    ]);
    const person = required(state.grantee, 'the grantee');
    const { rights } = state;
    const granteeType = granteeTypeOf(person.kind);
    if (!granteeType) {
      throw new InvalidChoiceError(vscode.l10n.t('{0} is a {1}; permissions can only be given to users and groups.', entityLabel(person), person.kind));
    }
    if (rights.length === 0) {
      throw new InvalidChoiceError(vscode.l10n.t('Choose at least one right to grant.'));
    }
    const label = entityLabel(person);

    // What each mailbox holds now: shown in the one confirmation and compared again on write.
    const seen = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the current permissions of {0}…', label) },
      () =>
        Promise.all(
          mailboxes.map(async (mailbox) => {
            if (mailbox.id === person.id || !rights.every((right) => rightsAllowedOn(mailbox.kind).includes(right))) {
              return undefined;
            }
            return services.shownRights(org, mailbox.id, person.id);
          }),
        ),
    );
    const lines = mailboxes.map((mailbox, index) => {
      const before = seen[index];
      if (before === undefined) {
        return mailbox.id === person.id
          ? vscode.l10n.t('{0}: skipped (it is the grantee itself)', entityLabel(mailbox))
          : vscode.l10n.t('{0}: skipped (Full access does not apply to a group)', entityLabel(mailbox));
      }
      const after = normalizeRights([...before, ...rights]);
      return sameRights(before, after)
        ? vscode.l10n.t('{0}: already has {1}', entityLabel(mailbox), rightsWords(before))
        : vscode.l10n.t('{0}: {1} → {2}', entityLabel(mailbox), rightsWords(before), rightsWords(after));
    });
    const confirmed = await ui.confirm(
      vscode.l10n.t('Give {0} {1} on {2} mailboxes?', entityLongLabel(person), rightsWords(rights), mailboxes.length),
      lines.join('\n'),
      vscode.l10n.t('Grant'),
    );
    if (!confirmed) {
      return { outcome: 'cancelled', items: [] };
    }

    const planned: PlannedChange[] = [];
    const skipped = [];
    for (const [index, mailbox] of mailboxes.entries()) {
      const before = seen[index];
      if (before === undefined) {
        skipped.push({
          organizationId: org.organizationId,
          mailboxId: mailbox.id,
          mailbox: entityLabel(mailbox),
          granteeId: person.id,
          grantee: label,
          status: 'skipped' as const,
          reason: mailbox.id === person.id ? vscode.l10n.t('it is the grantee itself') : vscode.l10n.t('Full access does not apply to a group'),
        });
        continue;
      }
      planned.push({ org, mailbox, grantee: { id: person.id, type: granteeType, label }, change: { kind: 'grant', add: rights }, expectedBefore: before });
    }
    const outcomes = planned.length > 0 ? await applyAll(ctx, 'grant', title, planned, bound) : [];
    return report(ui, services.log, 'grant', [...outcomes, ...skipped]);
  });
}

// The steps the permission flows are made of: organization, directory entity (mailbox or
// grantee), one of a mailbox's grantees, and rights. Each can be answered by the person or ahead
// of time by the command's options; both paths end in the same checks.
import * as vscode from 'vscode';
import type { WorkMailServices } from '../../services';
import { RIGHT_DESCRIPTIONS, RIGHT_LABELS, normalizeRights, rightsAllowedOn, rightsLabel } from '../../workmail/rights';
import type { DirectoryEntity, EntityKind, Grant, Organization, Right } from '../../workmail/types';
import { lookUpEntity } from '../../workmail/entityLookup';
import { validateIdentifier } from '../../workmail/validation';
import type { CommandUi } from './commandUi';
import { entityLabel, organizationLabel } from './labels';
import { pickMany, pickOne, type Choice } from './quickPick';
import { compareByName, compareNames } from '../../workmail/names';
import { findOrganization, isOrganizationUsable, organizationUnusableReason } from '../../workmail/organizations';

/** Enough for choosing; a larger directory is reached by typing a name or address. */
export const BACKGROUND_LOAD_CAP = 5000;

export interface StepPosition {
  readonly title: string;
  readonly step?: number;
  readonly totalSteps?: number;
  readonly back?: boolean;
}

/** A problem with a value given in the options (or typed): shown to the person, nothing written. */
export class InvalidChoiceError extends Error {
  override readonly name = 'InvalidChoiceError';
}

/** Entities of the kinds in the order the rules list them, each kind by name. */
function byKindThenName(kinds: readonly EntityKind[]): (a: Choice<DirectoryEntity>, b: Choice<DirectoryEntity>) => number {
  return (a, b) => (a.value && b.value ? kinds.indexOf(a.value.kind) - kinds.indexOf(b.value.kind) || compareByName(a.value, b.value) : 0);
}

/** The name an organization goes by: its alias, or its ID when it has none. */
function organizationName(org: Organization): string {
  return org.alias || org.organizationId;
}

/** Organizations by alias, then region in WorkMail's order. */
export function compareOrganizations(a: Organization, b: Organization): number {
  return compareNames(organizationName(a), organizationName(b)) || compareNames(a.region, b.region) || compareNames(a.organizationId, b.organizationId);
}

/** An organization as the tree shows it: the alias with the tree's icon, the region beside it. */
export function organizationChoice(org: Organization): Choice<Organization> {
  return {
    label: `$(mail) ${organizationName(org)}`,
    description: [org.region, org.state && org.state !== 'Active' ? org.state : undefined].filter(Boolean).join(' · '),
    value: org,
  };
}

function entityChoice(entity: DirectoryEntity): Choice<DirectoryEntity> {
  const label = entityLabel(entity);
  const kind = entity.kind === 'group' ? vscode.l10n.t('group') : entity.kind === 'resource' ? vscode.l10n.t('resource') : vscode.l10n.t('user');
  const state = entity.state && entity.state !== 'ENABLED' ? ` · ${entity.state.toLowerCase()}` : '';
  return {
    label: `${entity.kind === 'group' ? '$(organization)' : entity.kind === 'resource' ? '$(calendar)' : '$(person)'} ${label}`,
    description: [entity.email && entity.email !== label ? entity.email : undefined, `${kind}${state}`].filter(Boolean).join(' · '),
    value: entity,
  };
}

// ---------------------------------------------------------------- organization

export async function listAllOrganizations(services: WorkMailServices): Promise<Organization[]> {
  const session = services.session();
  const perRegion = await Promise.all(services.regions().map((region) => session.listOrganizations(region)));
  return perRegion.flat();
}

export async function chooseOrganization(services: WorkMailServices, ui: CommandUi, position: StepPosition, given: string | undefined): Promise<Organization> {
  if (given !== undefined) {
    const all = await listAllOrganizations(services);
    const match = findOrganization(all, given);
    if (!match) {
      throw new InvalidChoiceError(vscode.l10n.t('No organization "{0}" in the regions {1} for this profile.', given, services.regions().join(', ')));
    }
    const unusable = organizationUnusableReason(match);
    if (unusable) {
      throw new InvalidChoiceError(unusable);
    }
    return match;
  }
  return pickOne<Organization>({
    ui,
    ...position,
    placeholder: vscode.l10n.t('Choose an organization'),
    order: (a, b) => (a.value && b.value ? compareOrganizations(a.value, b.value) : 0),
    load: async (append) => {
      const session = services.session();
      // Regions answer independently, so one slow or failing region does not hide the others.
      const failures: string[] = [];
      await Promise.all(
        services.regions().map(async (region) => {
          try {
            const orgs = await session.listOrganizations(region);
            // An organization that is not Active cannot be changed; listing it would only lead to an error later.
            append(orgs.filter(isOrganizationUsable).map(organizationChoice));
          } catch (err) {
            failures.push(`${region}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
      );
      if (failures.length > 0) {
        throw new Error(failures.join('; '));
      }
    },
  });
}

// ---------------------------------------------------------------- directory entities

export interface EntityRules {
  /** The entity kinds that may be chosen; listed in this order. */
  readonly kinds: readonly EntityKind[];
  /** Why an entity of an allowed kind still cannot be chosen here (it is the mailbox itself…). */
  readonly reject?: (entity: DirectoryEntity) => string | undefined;
  /** Leaves an entity out of the list (it can still be typed, then `reject` explains). */
  readonly hide?: (entity: DirectoryEntity) => boolean;
}

function kindsPhrase(kinds: readonly EntityKind[]): string {
  const words = kinds.map((kind) => (kind === 'user' ? vscode.l10n.t('user') : kind === 'group' ? vscode.l10n.t('group') : vscode.l10n.t('resource')));
  return words.join(vscode.l10n.t(' or '));
}

/** Finds what a person typed (or a script passed) and checks it against the rules. */
export async function resolveEntity(services: WorkMailServices, org: Organization, typed: string, rules: EntityRules): Promise<DirectoryEntity | { readonly rejected: string }> {
  // Users and groups are always looked for, so a group typed where a user is wanted is named as one.
  const kinds = [...new Set<EntityKind>(['user', 'group', ...rules.kinds])];
  const lookup = await lookUpEntity(services.session(), org, typed, kinds);
  if (lookup.outcome === 'refused') {
    return { rejected: lookup.reason };
  }
  if (lookup.outcome === 'none') {
    // WorkMail shows a new or newly enabled entity only after a while (variant directory-lag).
    return {
      rejected: vscode.l10n.t(
        'No {0} "{1}" in {2}. If it was created or enabled in the last few minutes, WorkMail may not show it yet: wait a few minutes and try again.',
        kindsPhrase(rules.kinds),
        typed,
        organizationLabel(org),
      ),
    };
  }
  const found = lookup.entity;
  // The tree and later messages name it from the directory cache instead of asking again.
  services.directory(org).remember([found]);
  if (!rules.kinds.includes(found.kind)) {
    return { rejected: vscode.l10n.t('"{0}" is a {1}; choose a {2}.', typed, found.kind, kindsPhrase(rules.kinds)) };
  }
  const reason = rules.reject?.(found);
  return reason ? { rejected: reason } : found;
}

export async function chooseEntity(
  services: WorkMailServices,
  ui: CommandUi,
  org: Organization,
  position: StepPosition & { readonly placeholder: string },
  rules: EntityRules,
  given: string | undefined,
): Promise<DirectoryEntity> {
  if (given !== undefined) {
    const resolved = await resolveEntity(services, org, given.trim(), rules);
    if ('rejected' in resolved) {
      throw new InvalidChoiceError(resolved.rejected);
    }
    return resolved;
  }
  return pickOne<DirectoryEntity>({
    ui,
    ...position,
    order: byKindThenName(rules.kinds),
    load: async (append, signal) => {
      const session = services.session();
      const pageSize = services.pageSize();
      let total = 0;
      for (const kind of rules.kinds) {
        let nextToken: string | undefined;
        do {
          if (signal.aborted) {
            return;
          }
          const page = await session.listEntitiesPage(org, kind, { maxResults: pageSize, nextToken });
          services.directory(org).remember(page.items);
          nextToken = page.nextToken;
          const usable = page.items.filter((entity) => entity.state !== 'DELETED' && !rules.hide?.(entity) && !rules.reject?.(entity));
          total += usable.length;
          append(usable.map(entityChoice));
          if (total >= BACKGROUND_LOAD_CAP && nextToken) {
            append([{ label: vscode.l10n.t('Showing the first {0}; type a name or email address to find others', BACKGROUND_LOAD_CAP), kind: vscode.QuickPickItemKind.Separator }]);
            return;
          }
        } while (nextToken);
      }
    },
    typed: (value) => {
      if (!value) {
        return [];
      }
      // A display name has spaces, so only an email address is checked before the look-up.
      const invalid = value.includes('@') ? validateIdentifier('Email', value.trim()) : value.trim().length > 256 ? validateIdentifier('EntityIdentifier', value.trim()) : undefined;
      if (invalid) {
        return [{ label: `$(warning) ${invalid}`, alwaysShow: true }];
      }
      return [
        {
          label: `$(search) ${vscode.l10n.t("Use '{0}'…", value)}`,
          description: vscode.l10n.t('look up this display name, email address, name or ID'),
          alwaysShow: true,
          resolve: () => resolveEntity(services, org, value, rules),
        },
      ];
    },
  });
}

// ---------------------------------------------------------------- a mailbox's grantees

export async function chooseGrant(
  services: WorkMailServices,
  ui: CommandUi,
  org: Organization,
  mailbox: DirectoryEntity,
  position: StepPosition,
  given: string | undefined,
): Promise<{ grant: Grant; grantee?: DirectoryEntity }> {
  const session = services.session();
  if (given !== undefined) {
    const grants = await session.listAllGrants(org, mailbox.id);
    let match = grants.find((grant) => grant.granteeId === given);
    let grantee: DirectoryEntity | undefined;
    if (!match) {
      const resolved = await resolveEntity(services, org, given.trim(), { kinds: ['user', 'group'] });
      if ('rejected' in resolved) {
        throw new InvalidChoiceError(resolved.rejected);
      }
      grantee = resolved;
      match = grants.find((grant) => grant.granteeId === resolved.id);
    }
    if (!match) {
      throw new InvalidChoiceError(vscode.l10n.t('{0} has no permissions on {1}.', grantee ? entityLabel(grantee) : given, entityLabel(mailbox)));
    }
    return { grant: match, grantee: grantee ?? (await resolveGrantees(services, org, [match])).get(match.granteeId) ?? undefined };
  }
  return pickOne<{ grant: Grant; grantee?: DirectoryEntity }>({
    ui,
    ...position,
    placeholder: vscode.l10n.t('Choose whose permissions on {0} to revoke', entityLabel(mailbox)),
    // By name, as the tree lists them; IDs the directory does not know after the names.
    order: (a, b) => (a.value && b.value ? compareGrantChoices(a.value, b.value) : 0),
    load: async (append) => {
      const grants = await session.listAllGrants(org, mailbox.id);
      if (grants.length === 0) {
        append([{ label: vscode.l10n.t('No one has permissions on {0}', entityLabel(mailbox)), kind: vscode.QuickPickItemKind.Separator }]);
        return;
      }
      const names = await resolveGrantees(services, org, grants);
      const named = grants.map((grant) => ({ grant, grantee: names.get(grant.granteeId) ?? undefined }));
      append(
        named.map(({ grant, grantee }) => ({
          label: `${grant.granteeType === 'GROUP' ? '$(organization)' : '$(person)'} ${grantee ? entityLabel(grantee) : grant.granteeId}`,
          description: [grantee?.email, rightsLabel(grant.rights)].filter(Boolean).join(' · '),
          value: { grant, grantee },
        })),
      );
    },
  });
}

function compareGrantChoices(a: { grant: Grant; grantee?: DirectoryEntity }, b: { grant: Grant; grantee?: DirectoryEntity }): number {
  if (a.grantee && b.grantee) {
    return compareByName(a.grantee, b.grantee);
  }
  return a.grantee ? -1 : b.grantee ? 1 : compareNames(a.grant.granteeId, b.grant.granteeId);
}

/** Names for grantee IDs; the directory cache answers from what the tree already loaded. */
async function resolveGrantees(services: WorkMailServices, org: Organization, grants: readonly Grant[]): Promise<Map<string, DirectoryEntity | null>> {
  try {
    return await services.directory(org).resolve(grants);
  } catch {
    // Names we cannot find are shown as IDs rather than hiding the grants.
    return new Map();
  }
}

// ---------------------------------------------------------------- rights

export interface RightsQuestion extends StepPosition {
  readonly mailboxKinds: readonly EntityKind[];
  /** Pre-checked. */
  readonly current: readonly Right[];
  readonly placeholder: string;
  /** Accept with nothing checked (edit: that is a revoke, confirmed afterwards). */
  readonly allowEmpty: boolean;
}

/** The rights offered: what fits every chosen mailbox, plus whatever the grantee already has. */
export function offeredRights(mailboxKinds: readonly EntityKind[], current: readonly Right[]): Right[] {
  const allowed = mailboxKinds.length === 0 ? rightsAllowedOn('user') : mailboxKinds.map(rightsAllowedOn).reduce((a, b) => a.filter((right) => b.includes(right)));
  return normalizeRights([...allowed, ...current]);
}

export async function chooseRights(ui: CommandUi, question: RightsQuestion): Promise<Right[]> {
  const offered = offeredRights(question.mailboxKinds, question.current);
  const items: Choice<Right>[] = offered.map((right) => ({
    label: RIGHT_LABELS[right] ?? right,
    description: right,
    detail: RIGHT_DESCRIPTIONS[right],
    picked: question.current.includes(right),
    value: right,
  }));
  const groupOnly = question.mailboxKinds.includes('group') && !offered.includes('FULL_ACCESS');
  if (groupOnly) {
    items.push({ label: vscode.l10n.t('Full access is not offered: a group has no mailbox of its own to open'), kind: vscode.QuickPickItemKind.Separator });
  }
  const placeholder = groupOnly ? `${question.placeholder} ${vscode.l10n.t('(Full access does not apply to groups)')}` : question.placeholder;
  return normalizeRights(await pickMany<Right>({ ui, ...question, placeholder, items, allowEmpty: question.allowEmpty }));
}

/**
 * One booking delegate of `resource`: the one `given` names (ID, name or email address), or the
 * one chosen from its current delegates, named from the directory.
 */
export async function chooseBookingDelegate(
  services: WorkMailServices,
  ui: CommandUi,
  org: Organization,
  resource: DirectoryEntity,
  position: StepPosition,
  given: string | undefined,
): Promise<{ readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string }> {
  const session = services.session();
  const named = async (): Promise<{ id: string; type: 'USER' | 'GROUP'; label: string; entity?: DirectoryEntity }[]> => {
    const delegates = await session.routes.listAllResourceDelegates(org, resource.id);
    const names = await services.directory(org).resolve(delegates.map((d) => ({ granteeId: d.id, granteeType: d.type })));
    return delegates.map((d) => {
      const entity = names.get(d.id) ?? undefined;
      return { id: d.id, type: d.type, label: entity ? entityLabel(entity) : d.id, entity };
    });
  };
  if (given !== undefined) {
    const wanted = given.trim().toLowerCase();
    const match = (await named()).find((d) => [d.id, d.entity?.name, d.entity?.email, d.entity?.displayName].some((value) => value?.toLowerCase() === wanted));
    if (!match) {
      throw new InvalidChoiceError(vscode.l10n.t('"{0}" is not a booking delegate of {1}.', given, entityLabel(resource)));
    }
    return match;
  }
  return pickOne<{ id: string; type: 'USER' | 'GROUP'; label: string }>({
    ui,
    ...position,
    placeholder: vscode.l10n.t('Choose the booking delegate to remove from {0}', entityLabel(resource)),
    load: async (append) => {
      const delegates = await named();
      if (delegates.length === 0) {
        append([{ label: vscode.l10n.t('{0} has no booking delegates', entityLabel(resource)), kind: vscode.QuickPickItemKind.Separator }]);
        return;
      }
      append(
        delegates
          .sort((a, b) => compareNames(a.label, b.label))
          .map((d) => ({ label: `${d.type === 'GROUP' ? '$(organization)' : '$(person)'} ${d.label}`, description: d.entity?.email, value: { id: d.id, type: d.type, label: d.label } })),
      );
    },
  });
}

/**
 * Show Access of…: every mailbox a user or group holds rights on, directly or through any group it
 * belongs to (however deeply nested), with the chain of groups that grants it. Works on a user or
 * group mailbox, a grantee, a group member, or from the palette (organization, then a user or
 * group). The answer comes from a whole-organization scan; a recent scan is reused and the report
 * says when it was read, with a way to read everything again.
 */
import * as vscode from 'vscode';
import { AccessIndex, formatVia } from '../../workmail/reverse';
import { routesOfPerson } from '../../workmail/routes/personRoutes';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { entityLabel, mailboxCount, organizationLabel } from '../ui/labels';
import { chooseEntity } from '../ui/pickers';
import { showRendered, type ReportDocuments } from '../ui/reportDocuments';
import { accessReportTitle, renderAccessReport } from './accessDocument';
import { organizationFor, routesOfScan, runAudit, scanOrganizationWithProgress, unreadMailboxes, type AuditArgs, type AuditContext } from '../scanCommand';
import { readAtLabel as scanReadAtLabel } from '../ui/labels';
import { isGranteeNode, isGroupMemberNode, isMailboxNode, type ShowAccessResult } from './types';

export const SHOW_ACCESS_COMMAND = 'workmail.showAccessOf';

/** The user or group the node stands for, if it stands for one. */
function entityOfNode(node: unknown): DirectoryEntity | undefined {
  if (isMailboxNode(node)) {
    return node.entity.kind === 'resource' ? undefined : node.entity;
  }
  if (isGranteeNode(node)) {
    // A grantee WorkMail no longer knows still has grants worth listing, by its ID.
    return node.grantee ?? { id: node.grant.granteeId, kind: node.grant.granteeType === 'GROUP' ? 'group' : 'user' };
  }
  if (isGroupMemberNode(node)) {
    return node.entity;
  }
  return undefined;
}

export async function showAccessOf(ctx: AuditContext, args: AuditArgs, documents: ReportDocuments): Promise<ShowAccessResult> {
  const { options } = ctx;
  const title = vscode.l10n.t('Show access of a user or group');
  let org: Organization | undefined;
  let entity: DirectoryEntity | undefined = options.entity === undefined ? entityOfNode(args.node) : undefined;
  return runAudit(ctx, 'show access', () => (entity ? entityLabel(entity) : org ? organizationLabel(org) : ''), async (): Promise<ShowAccessResult> => {
    org = await organizationFor(ctx, args.node, title);
    if (!entity) {
      entity = await chooseEntity(
        ctx.services,
        ctx.ui,
        org,
        { title, placeholder: vscode.l10n.t('Whose access? Choose a user or group, or type a name, email address or ID') },
        { kinds: ['user', 'group'] },
        options.entity,
      );
    }
    const who = entity;
    const data = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Reading every permission in {0}…', organizationLabel(org)), {
      reuse: options.rescan !== true,
      withMembership: true,
    });
    const { snapshot } = data;
    const membership = data.membership?.membership ?? new Map();
    // The scan's directory has the latest names and states; the node's copy may be older.
    const current = snapshot.directory.entities.get(who.id) ?? who;
    const routes = await routesOfScan(ctx, org, snapshot);
    // One index for every route of the person: grants, booking delegations, applications.
    const index = new AccessIndex(snapshot.grants, membership, snapshot.directory.entities, routes);
    const entries = index.accessOf(current);
    const unreadGroups = (data.membership?.failures ?? []).map((f) => f.group);
    const otherRoutes = routesOfPerson(current, index);
    const unreadRoutes = routes.failures.map((f) => f.subject);
    const readAtLabel = scanReadAtLabel(snapshot);
    const text = renderAccessReport({
      org,
      entity: current,
      entries,
      readAt: snapshot.readAt,
      readAtLabel,
      fromCache: data.fromCache,
      unreadMailboxes: snapshot.failures.map((f) => f.mailbox),
      unreadGroups,
      otherRoutes,
      unreadRoutes,
    });
    // One document per organization and entity (the folder), so a rescan updates the open report in
    // place; its tab is titled by whose access it is.
    const placement = { folder: `${org.organizationId}/${current.id}`, beside: false };
    const uri = documents.publish(accessReportTitle(current), text, placement);
    ctx.services.log.info(
      `show access: organization=${org.organizationId} entity=${current.id} entries=${entries.length} readAt=${snapshot.readAt.toISOString()}${data.fromCache ? ' (earlier scan)' : ''}`,
    );
    if (options.open !== false) {
      await showRendered(uri, placement.beside);
    }

    const mailboxes = new Set(entries.map((e) => e.mailbox.id)).size;
    const summary = vscode.l10n.t('{0} has rights on {1} in {2}, as of {3}.', entityLabel(current, current.id), mailboxCount(mailboxes), org.alias ?? org.organizationId, readAtLabel);
    const incomplete = snapshot.failures.length + unreadGroups.length + unreadRoutes.length > 0;
    const rescan = vscode.l10n.t('Rescan');
    const message = [
      summary,
      incomplete ? vscode.l10n.t('Some mailboxes or groups could not be read; the report lists them.') : undefined,
      data.fromCache ? vscode.l10n.t('This is from an earlier scan.') : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    // Not awaited: the promise settles only when the notification goes away.
    const shown = ctx.ui.offer(incomplete ? 'warning' : 'info', message, rescan);
    const orgId = org.organizationId;
    void shown.then((choice) => {
      if (choice === rescan) {
        void vscode.commands.executeCommand(SHOW_ACCESS_COMMAND, { organization: orgId, entity: current.id, rescan: true });
      }
    });

    return {
      outcome: incomplete ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      fromCache: data.fromCache,
      entity: { id: current.id, kind: current.kind, name: current.name, email: current.email, state: current.state },
      entries: entries.map((entry) => ({
        mailboxId: entry.mailbox.id,
        mailbox: entityLabel(entry.mailbox),
        mailboxKind: entry.mailbox.kind,
        rights: entry.rights,
        granteeId: entry.granteeId,
        via: entry.via.map((group) => group.name ?? group.id),
        path: formatVia(entry.via),
      })),
      uri: uri.toString(),
      text,
      unreadMailboxes: unreadMailboxes(snapshot),
      unreadGroups: unreadGroups.map((group) => entityLabel(group)),
      bookingDelegateOf: otherRoutes.bookingDelegations.map((d) => ({ resourceId: d.resourceId, resource: d.resource ? entityLabel(d.resource) : d.resourceId, path: formatVia(d.via) })),
      applications: otherRoutes.applications.map((role) => ({ roleId: role.id, name: role.name, type: role.type })),
      unreadRoutes,
    };
  });
}

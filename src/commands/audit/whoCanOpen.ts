/**
 * Who Can Open This Mailbox…: every person and application that can use one mailbox, on every route
 * WorkMail has (mailbox permissions through nested groups, booking delegates, impersonation roles
 * acting as the owner or as someone who can open it), each with its path and what an access rule
 * denies them, as WorkMail evaluates it. From a whole-organization scan (a recent one is reused),
 * and one read of the organization's booking delegates, roles and rules.
 */
import * as vscode from 'vscode';
import { marksForRoutes } from '../../workmail/routes/accessMarks';
import { marksInWords, routeInWords } from '../../workmail/routes/openReport';
import { whoCanOpen } from '../../workmail/routes/whoCanOpen';
import { bookingOptionsInWords } from '../../workmail/routes/words';
import type { DirectoryEntity, Organization } from '../../workmail/types';
import { organizationFor, routesOfScan, runAudit, scanOrganizationWithProgress, type AuditArgs, type AuditContext } from '../scanCommand';
import { applicationCount, entityLabel, organizationLabel, peopleCount, readAtLabel } from '../ui/labels';
import { chooseEntity } from '../ui/pickers';
import { showRendered, type ReportDocuments } from '../ui/reportDocuments';
import { escapeMarkdown } from './accessDocument';
import { isMailboxNode, type WhoCanOpenResult } from './types';

export const WHO_CAN_OPEN_COMMAND = 'workmail.whoCanOpen';

export async function whoCanOpenMailbox(ctx: AuditContext, args: AuditArgs, documents: ReportDocuments): Promise<WhoCanOpenResult> {
  const title = vscode.l10n.t('Who can open a mailbox');
  let org: Organization | undefined;
  let mailbox: DirectoryEntity | undefined = ctx.options.entity === undefined && isMailboxNode(args.node) ? args.node.entity : undefined;
  return runAudit(ctx, 'show access', () => (mailbox ? entityLabel(mailbox) : org ? organizationLabel(org) : ''), async (): Promise<WhoCanOpenResult> => {
    org = await organizationFor(ctx, args.node, title);
    mailbox ??= await chooseEntity(ctx.services, ctx.ui, org, { title, placeholder: vscode.l10n.t('Whose mailbox? Choose a user, group or resource, or type a name, email address or ID') }, { kinds: ['user', 'group', 'resource'] }, ctx.options.entity);
    const data = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Reading every permission in {0}…', organizationLabel(org)), { reuse: ctx.options.rescan !== true, withMembership: true });
    const { snapshot } = data;
    const reads = ctx.services.session().routes;
    const routes = await routesOfScan(ctx, org, snapshot);
    const current = snapshot.directory.entities.get(mailbox.id) ?? mailbox;
    const found = whoCanOpen(current, { grants: snapshot.grants, membership: data.membership?.membership ?? new Map(), directory: snapshot.directory.entities, delegates: routes.delegates, roles: routes.roles });
    const marksOf = await marksForRoutes(reads, org, routes.accessRules, found);
    const label = (entity: DirectoryEntity): string => entityLabel(entity);
    const lines = [
      `# ${escapeMarkdown(vscode.l10n.t('Who can open {0}', entityLabel(current)))}`,
      '',
      `- ${vscode.l10n.t('Organization')}: ${escapeMarkdown(organizationLabel(org))}`,
      `- ${vscode.l10n.t('As of')}: ${escapeMarkdown(readAtLabel(snapshot))}`,
      ...(current.kind === 'resource' ? [`- ${vscode.l10n.t('Booking')}: ${escapeMarkdown(bookingOptionsInWords(routes.bookingOptions.get(current.id)))}`] : []),
      '',
    ];
    const section = (heading: string, kind: 'permission' | 'bookingDelegate' | 'impersonation'): void => {
      const rows = found.filter((route) => route.route === kind);
      lines.push(`## ${heading}`, '');
      lines.push(...(rows.length > 0 ? rows.map((route) => `- ${escapeMarkdown(`${routeInWords(route, label)}${marksInWords(marksOf(route))}`, 600)}`) : [`- ${vscode.l10n.t('None')}`]), '');
    };
    section(vscode.l10n.t('Mailbox permissions'), 'permission');
    section(vscode.l10n.t('Booking delegates'), 'bookingDelegate');
    section(vscode.l10n.t('Applications (impersonation roles)'), 'impersonation');
    const unread = [...snapshot.failures.map((f) => entityLabel(f.mailbox)), ...(data.membership?.failures ?? []).map((f) => entityLabel(f.group)), ...routes.failures.map((f) => f.subject)];
    if (unread.length > 0) {
      lines.push(`## ${vscode.l10n.t('Not read')}`, '', ...unread.map((what) => `- ${escapeMarkdown(what)}`), '');
    }
    const text = lines.join('\n');
    const placement = { folder: `${org.organizationId}/${current.id}/who-can-open`, beside: false };
    const uri = documents.publish(vscode.l10n.t('Who can open {0}', entityLabel(current)), text, placement);
    if (ctx.options.open !== false) {
      await showRendered(uri, placement.beside);
    }
    const people = new Set(found.flatMap((route) => (route.route === 'impersonation' ? [] : [route.personId]))).size;
    const applications = new Set(found.flatMap((route) => (route.route === 'impersonation' ? [route.role.id] : []))).size;
    ctx.ui.info(vscode.l10n.t('{0}: {1} and {2} can use it, as of {3}.', entityLabel(current), peopleCount(people), applicationCount(applications), readAtLabel(snapshot)));
    return {
      outcome: unread.length > 0 ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      mailbox: { id: current.id, kind: current.kind, name: current.name, email: current.email, state: current.state },
      routes: found.map((route) => ({ route: route.route, text: routeInWords(route, label), deniedBy: marksOf(route).map((mark) => `${mark.action} ${mark.ipAddress} ${mark.rules.join(',')}`) })),
      uri: uri.toString(),
      text,
    };
  });
}

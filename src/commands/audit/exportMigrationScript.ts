/**
 * Export Migration Script…: a script that recreates an organization's delegation elsewhere before
 * WorkMail's end of support: Exchange Online PowerShell or Google Workspace GAM. The choices that
 * change what the script does (Outlook auto-mapping, whether groups were recreated as mail-enabled
 * security groups) are asked with an explanation; everything that cannot be migrated is listed at
 * the end of the script with the reason.
 */
import * as vscode from 'vscode';
import { sortScan } from '../../workmail/exporters';
import { planMigration, writeMigrationScript, type MigrationTarget } from '../../workmail/migration';
import type { Organization } from '../../workmail/types';
import { organizationLabel } from '../ui/labels';
import { InvalidChoiceError } from '../ui/pickers';
import { pickOne } from '../ui/quickPick';
import {
  dateStamp,
  describeUnread,
  fileNamePart,
  openWrittenFile,
  reportWithUnread,
  organizationFor,
  orgSubject,
  runAudit,
  scanOrganizationWithProgress,
  targetFile,
  unreadMailboxes,
  writeFileWhole,
  type AuditArgs,
  type AuditContext,
} from './auditRun';
import type { MigrationResult } from './types';

export const EXPORT_MIGRATION_COMMAND = 'workmail.exportMigrationScript';

async function chooseTarget(ctx: AuditContext, title: string): Promise<MigrationTarget> {
  const given = ctx.options.target;
  if (given !== undefined) {
    if (given !== 'exchange' && given !== 'gam') {
      throw new InvalidChoiceError(vscode.l10n.t('Unknown target "{0}"; use exchange or gam.', String(given)));
    }
    return given;
  }
  return pickOne<MigrationTarget>({
    dialogs: ctx.dialogs,
    title,
    step: 1,
    placeholder: vscode.l10n.t('Where are the mailboxes moving?'),
    items: [
      {
        label: vscode.l10n.t('Exchange Online (PowerShell)'),
        description: 'Add-MailboxPermission, Add-RecipientPermission, Set-Mailbox',
        detail: vscode.l10n.t('A .ps1 script to run after Connect-ExchangeOnline; try it with -WhatIf first.'),
        value: 'exchange',
      },
      {
        label: vscode.l10n.t('Google Workspace (GAM)'),
        description: 'gam user … add delegate …',
        detail: vscode.l10n.t('A GAM batch file. Gmail has only full delegation: Send as and Send on behalf alone are listed as not migrated.'),
        value: 'gam',
      },
    ],
  });
}

async function yesNo(ctx: AuditContext, title: string, step: number, placeholder: string, yes: { label: string; detail: string }, no: { label: string; detail: string }): Promise<boolean> {
  return pickOne<boolean>({
    dialogs: ctx.dialogs,
    title,
    step,
    placeholder,
    items: [
      { ...no, value: false },
      { ...yes, value: true },
    ],
  });
}

export async function exportMigrationScript(ctx: AuditContext, args: AuditArgs): Promise<MigrationResult> {
  const { options } = ctx;
  const title = vscode.l10n.t('Export a permissions migration script');
  let org: Organization | undefined;
  return runAudit(ctx, 'migration script', () => orgSubject(org), async (): Promise<MigrationResult> => {
    org = await organizationFor(ctx, args.node, title);
    const target = await chooseTarget(ctx, title);
    let autoMapping = false;
    let groupsAreSecurityGroups = false;
    if (target === 'exchange') {
      autoMapping =
        options.autoMapping ??
        (await yesNo(
          ctx,
          title,
          2,
          vscode.l10n.t('Should Outlook open the mailboxes people get full access to automatically (-AutoMapping)?'),
          {
            label: vscode.l10n.t('Yes, auto-map'),
            detail: vscode.l10n.t('Each mailbox appears in the delegate\'s Outlook by itself. Convenient for a few shared mailboxes; slows Outlook down when someone has many.'),
          },
          {
            label: vscode.l10n.t('No auto-mapping'),
            detail: vscode.l10n.t('Delegates add the mailbox in Outlook themselves (-AutoMapping $false). The safer default for large migrations.'),
          },
        ));
      groupsAreSecurityGroups =
        options.groupsAreSecurityGroups ??
        (await yesNo(
          ctx,
          title,
          3,
          vscode.l10n.t('Were the WorkMail groups recreated in Exchange as mail-enabled security groups with the same addresses?'),
          {
            label: vscode.l10n.t('Yes, as mail-enabled security groups'),
            detail: vscode.l10n.t('Grants to groups are migrated to the group of the same address.'),
          },
          {
            label: vscode.l10n.t('No, or not sure'),
            detail: vscode.l10n.t('Exchange gives mailbox rights only to mail-enabled security groups; grants to groups are listed as not migrated.'),
          },
        ));
    }
    const extension = target === 'exchange' ? 'ps1' : 'txt';
    const fileName = `workmail-migration-${fileNamePart(org)}-${target}-${dateStamp()}.${extension}`;
    const file = await targetFile(ctx, fileName, target === 'exchange' ? { PowerShell: ['ps1'] } : { 'GAM batch file': ['txt', 'gam'] }, title);
    if (!file) {
      return { outcome: 'cancelled' };
    }
    const { snapshot } = await scanOrganizationWithProgress(ctx, org, vscode.l10n.t('Reading the permissions of {0} for the migration script…', organizationLabel(org)));
    const sorted = await sortScan(snapshot.grants);
    const plan = await planMigration(
      { ...sorted, failures: snapshot.failures },
      {
        target,
        organization: org,
        generatedAt: snapshot.readAt,
        autoMapping,
        includeDisabled: options.includeDisabled ?? false,
        groupGrantees: groupsAreSecurityGroups ? 'security-group' : 'skip',
      },
    );
    await writeFileWhole(file, (out) => writeMigrationScript(plan, out));
    ctx.services.log.info(
      `migration script: organization=${org.organizationId} target=${target} autoMapping=${autoMapping} groups=${groupsAreSecurityGroups ? 'security-group' : 'skip'} commands=${plan.commands.length} notMigrated=${plan.notMigrated.length} unread=${snapshot.failures.length} file=${file}`,
    );
    await openWrittenFile(ctx, file);

    const written = vscode.l10n.t(
      'Wrote {0} command(s) to {1}; {2} item(s) are not migrated and are listed at the end of the script with the reason.',
      plan.commands.length,
      file,
      plan.notMigrated.length,
    );
    const unread = describeUnread(ctx, snapshot, vscode.l10n.t('the script'));
    reportWithUnread(ctx, written, unread);
    return {
      outcome: unread ? 'partial' : 'done',
      organizationId: org.organizationId,
      readAt: snapshot.readAt.toISOString(),
      path: file,
      target,
      commands: plan.commands.length,
      notMigrated: plan.notMigrated.length,
      unreadMailboxes: unreadMailboxes(snapshot),
    };
  });
}

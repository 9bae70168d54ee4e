// The questions Export Migration Script… and Verify Migration… share: where the snapshot comes from
// (a fresh scan, or a snapshot file: after 2027-03-31 only the file is left), the destination, the
// address mapping, and the destination's own choices. Each is skipped when the options answer it.
import path from 'node:path';
import * as vscode from 'vscode';
import { DESTINATION_TARGETS, TARGET_NAMES, type DestinationOptions, type DestinationTarget } from '../../workmail/migration/destinations';
import { migrationFiles, type MigrationFiles } from '../../workmail/migration/inputs';
import type { AddressMapping, Snapshot } from '../../workmail/migration/schema';
import { unchangedAddresses } from '../../workmail/migration/destinations';
import { InvalidChoiceError } from '../ui/pickers';
import { pickOne } from '../ui/quickPick';
import type { AuditContext } from '../scanCommand';

/** How the commands read snapshot, mapping and wave files (tests of the commands use the real ones). */
export const FILES: MigrationFiles = migrationFiles;

/** What each destination's script runs: the tools' own command names, the same in every language. */
const TARGET_TOOLS = {
  exchange: 'Add-MailboxPermission, Add-RecipientPermission, Set-Mailbox',
  google: 'gam user … add delegate | add sendas',
  grommunio: 'grommunio-admin',
} as const;

/** An absolute path given in the options, or the person's choice in an open dialog. */
export async function openFiles(_ctx: AuditContext, given: string | readonly string[] | undefined, spec: { title: string; label: string; filters: Record<string, string[]>; many?: boolean }): Promise<string[] | undefined> {
  if (given !== undefined) {
    const list = typeof given === 'string' ? [given] : [...given];
    for (const file of list) {
      if (!path.isAbsolute(file)) {
        throw new InvalidChoiceError(vscode.l10n.t('The path must be absolute, not "{0}".', file));
      }
    }
    return list;
  }
  const uris = await vscode.window.showOpenDialog({ title: spec.title, openLabel: spec.label, filters: spec.filters, canSelectMany: spec.many ?? false, canSelectFiles: true, canSelectFolders: false });
  return uris?.map((uri) => uri.fsPath);
}

export async function chooseDestination(ctx: AuditContext, title: string, step: number): Promise<DestinationTarget> {
  const given = ctx.options.target === 'gam' ? 'google' : ctx.options.target;
  if (given !== undefined) {
    if (!(DESTINATION_TARGETS as readonly string[]).includes(given)) {
      throw new InvalidChoiceError(vscode.l10n.t('Unknown target "{0}"; use exchange, google, grommunio or zoho.', String(given)));
    }
    return given as DestinationTarget;
  }
  return pickOne<DestinationTarget>({
    ui: ctx.ui,
    title,
    step,
    placeholder: vscode.l10n.t('Where are the mailboxes moving?'),
    items: [
      { label: TARGET_NAMES.exchange, description: TARGET_TOOLS.exchange, detail: vscode.l10n.t('A PowerShell script to run after Connect-ExchangeOnline; try it with -WhatIf first.'), value: 'exchange' },
      {
        label: TARGET_NAMES.google,
        description: TARGET_TOOLS.google,
        detail: vscode.l10n.t('A GAM batch file: delegates for full access, send-as addresses for Send as; Gmail has no send-only delegation.'),
        value: 'google',
      },
      { label: TARGET_NAMES.grommunio, description: TARGET_TOOLS.grommunio, detail: vscode.l10n.t('A bash script for the grommunio server: full permissions, send-as and delegates (send on behalf).'), value: 'grommunio' },
      { label: TARGET_NAMES.zoho, description: vscode.l10n.t('checklist'), detail: vscode.l10n.t('No public delegation API: a checklist of the Admin Console steps, as markdown and CSV.'), value: 'zoho' },
    ],
  });
}

/** The mapping file, or the WorkMail addresses kept (`mapping: false` in the options). */
export async function chooseMapping(ctx: AuditContext, snapshot: Snapshot, title: string, step: number): Promise<{ mapping: AddressMapping; source?: string }> {
  let file = ctx.options.mapping === false ? undefined : ctx.options.mapping;
  if (ctx.options.mapping === undefined) {
    const choice = await pickOne<'keep' | 'file'>({
      ui: ctx.ui,
      title,
      step,
      placeholder: vscode.l10n.t('Which addresses do the mailboxes have at the destination?'),
      items: [
        { label: vscode.l10n.t('The same addresses as in WorkMail'), detail: vscode.l10n.t('No mapping: every mailbox and grantee keeps its WorkMail address (the script says so).'), value: 'keep' },
        { label: vscode.l10n.t('Use an address mapping file…'), detail: vscode.l10n.t('A CSV of WorkMail address or entity ID → destination address; entities without a row are listed, never guessed.'), value: 'file' },
      ],
    });
    if (choice === 'file') {
      file = (await openFiles(ctx, undefined, { title, label: vscode.l10n.t('Use Mapping'), filters: { CSV: ['csv'] } }))?.[0];
      if (!file) {
        throw new vscode.CancellationError();
      }
    }
  }
  if (!file) {
    return { mapping: unchangedAddresses() };
  }
  return { mapping: await FILES.loadMapping(file, snapshot), source: path.basename(file) };
}

async function yesNo(ctx: AuditContext, title: string, step: number, placeholder: string, yes: { label: string; detail: string }, no: { label: string; detail: string }): Promise<boolean> {
  return pickOne<boolean>({ ui: ctx.ui, title, step, placeholder, items: [{ ...no, value: false }, { ...yes, value: true }] });
}

/** The destination's own choices, asked with what each answer does. */
export async function destinationChoices(ctx: AuditContext, target: DestinationTarget, title: string, step: number): Promise<Omit<DestinationOptions, 'generatedAt'>> {
  const { options } = ctx;
  const common = { includeDisabled: options.includeDisabled ?? false };
  if (target === 'exchange') {
    const autoMapping =
      options.autoMapping ??
      (await yesNo(
        ctx,
        title,
        step,
        vscode.l10n.t('Should Outlook open the mailboxes people get full access to automatically (-AutoMapping)?'),
        { label: vscode.l10n.t('Yes, auto-map'), detail: vscode.l10n.t("Each mailbox appears in the delegate's Outlook by itself. Convenient for a few shared mailboxes; slows Outlook down when someone has many.") },
        { label: vscode.l10n.t('No auto-mapping'), detail: vscode.l10n.t('Delegates add the mailbox in Outlook themselves (-AutoMapping $false). The safer default for large migrations.') },
      ));
    const groups =
      options.groupsAreSecurityGroups ??
      (await yesNo(
        ctx,
        title,
        step + 1,
        vscode.l10n.t('Were the WorkMail groups recreated in Exchange as mail-enabled security groups with the same addresses?'),
        { label: vscode.l10n.t('Yes, as mail-enabled security groups'), detail: vscode.l10n.t('Grants to groups are migrated to the group of the same address.') },
        { label: vscode.l10n.t('No, or not sure'), detail: vscode.l10n.t('Exchange gives mailbox rights only to mail-enabled security groups; grants to groups are listed as not migrated.') },
      ));
    return { ...common, autoMapping, groupGrantees: groups ? 'security-group' : 'skip', whatIf: options.whatIf ?? false };
  }
  if (target === 'google') {
    const delegate =
      options.sendOnBehalf !== undefined
        ? options.sendOnBehalf === 'delegate'
        : await yesNo(
            ctx,
            title,
            step,
            vscode.l10n.t('Gmail has no send-only delegation. What becomes of Send on behalf without Full access?'),
            { label: vscode.l10n.t('A Gmail delegate'), detail: vscode.l10n.t('They can send on behalf, and also read and delete mail in the mailbox. The script says so on each line.') },
            { label: vscode.l10n.t('Not migrated'), detail: vscode.l10n.t('Listed at the end of the script with the reason; nothing wider than WorkMail is granted.') },
          );
    return { ...common, sendOnBehalf: delegate ? 'delegate' : 'skip', ...(options.googleDomains ? { googleDomains: options.googleDomains } : {}) };
  }
  return common;
}

/** Options.wave with options.waves: that wave's mailboxes (the waves file's own IDs or addresses). */
export async function chosenWave(ctx: AuditContext): Promise<Pick<DestinationOptions, 'mailboxIds' | 'wave'>> {
  const { waves, wave } = ctx.options;
  if (waves === undefined || wave === undefined) {
    return {};
  }
  const all = await FILES.readWaves(waves);
  const mailboxIds = all.get(wave);
  if (!mailboxIds) {
    throw new InvalidChoiceError(vscode.l10n.t('Wave {0} is not in {1}.', wave, path.basename(waves)));
  }
  return { mailboxIds, wave };
}

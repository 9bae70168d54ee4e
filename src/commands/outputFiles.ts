// Files a command writes for the person: where (the options' absolute path, or the command's
// save dialog), named how (organization and day), and opened after, unless the caller said not to.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Organization } from '../workmail/types';
import type { AuditCommandOptions } from './audit/types';
import type { SaveLocation } from './ui/saveDialog';
import { InvalidChoiceError } from './ui/pickers';

/** What choosing and opening a file needs of a command's run. */
export interface OutputContext {
  readonly options: Pick<AuditCommandOptions, 'path' | 'open'>;
  readonly saveLocation: SaveLocation;
}

/** A file-name-safe form of an organization's alias (or ID). */
export function fileNamePart(org: Organization): string {
  const raw = org.alias || org.organizationId;
  return raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 64) || org.organizationId;
}

/** The options' path, or the person's choice in a save dialog; undefined when they cancelled. */
export async function targetFile(ctx: OutputContext, fileName: string, filters: Record<string, string[]>, title: string): Promise<string | undefined> {
  if (ctx.options.path !== undefined) {
    if (!path.isAbsolute(ctx.options.path)) {
      throw new InvalidChoiceError(vscode.l10n.t('The path must be absolute, not "{0}".', ctx.options.path));
    }
    return ctx.options.path;
  }
  const uri = await ctx.saveLocation.ask({ fileName, filters, title, saveLabel: vscode.l10n.t('Export') });
  return uri?.fsPath;
}

export async function openWrittenFile(ctx: OutputContext, file: string): Promise<void> {
  if (ctx.options.open === false) {
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}

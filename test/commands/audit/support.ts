// Helpers for the audit command tests: the sample seed as written (for group membership, which the
// admin API does not expose), the emulator's ground truth, and a brute-force "who can open what".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Right } from '../../../src/workmail/types';
import { admin, EXTENSION_ID } from '../../tree/support';

export { acceptItem, acme, ACME_ID, admin, calls, clearCalls, delay, entity, freshStart, Recorder, setFaults, writes } from '../permissions/support';

export interface SeedEntity {
  id: string;
  name: string;
  displayName?: string;
  email?: string;
  state?: string;
  role?: string;
  members?: string[];
}

export interface SeedOrganization {
  id: string;
  alias: string;
  users: SeedEntity[];
  groups: SeedEntity[];
  resources: SeedEntity[];
  grants: Array<{ mailbox: string; grantee: string; rights: Right[] }>;
}

export interface SeedDocument {
  accounts: Array<{ organizations: SeedOrganization[] }>;
}

export function sampleSeed(): SeedDocument {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, 'the extension under test is installed');
  return JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'emulator', 'seeds', 'sample.json'), 'utf8')) as SeedDocument;
}

export function acmeSeed(seed: SeedDocument = sampleSeed()): SeedOrganization {
  const org = seed.accounts.flatMap((a) => a.organizations).find((o) => o.alias === 'acme');
  assert.ok(org, 'the sample seed has acme');
  return org;
}

export function byName(org: SeedOrganization, name: string): SeedEntity {
  const found = [...org.users, ...org.groups, ...org.resources].find((e) => e.name === name);
  assert.ok(found, `${name} is in the seed`);
  return found;
}

export interface TruthGrant {
  mailboxId: string;
  granteeId: string;
  granteeType: 'USER' | 'GROUP';
  rights: Right[];
}

export async function groundTruth(orgId: string): Promise<TruthGrant[]> {
  return admin<TruthGrant[]>('GET', `/organizations/${orgId}/grants`);
}

/**
 * Every group that contains `entityId`, directly or through nesting, with its chain of group names
 * from that group down to the one the entity is directly in (shortest chain, breadth first).
 */
export function groupsContaining(org: SeedOrganization, entityId: string): Array<{ groupId: string; chain: string[] }> {
  const parentsOf = new Map<string, string[]>();
  for (const group of org.groups) {
    if (group.state === 'DELETED') {
      continue;
    }
    for (const member of group.members ?? []) {
      parentsOf.set(member, [...(parentsOf.get(member) ?? []), group.id]);
    }
  }
  const nameOf = (id: string) => org.groups.find((g) => g.id === id)?.name ?? id;
  const found: Array<{ groupId: string; chain: string[] }> = [];
  const visited = new Set([entityId]);
  let level = [{ id: entityId, chain: [] as string[] }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { id, chain } of level) {
      for (const parent of parentsOf.get(id) ?? []) {
        if (visited.has(parent)) {
          continue;
        }
        visited.add(parent);
        const parentChain = [nameOf(parent), ...chain];
        found.push({ groupId: parent, chain: parentChain });
        next.push({ id: parent, chain: parentChain });
      }
    }
    level = next;
  }
  return found;
}

/** Brute force over the ground truth: `mailboxId|granteeId|rights|path` for every way the entity reaches a mailbox. */
export function expectedAccess(org: SeedOrganization, truth: readonly TruthGrant[], entityId: string): string[] {
  const principals = [{ id: entityId, path: 'direct' }, ...groupsContaining(org, entityId).map((g) => ({ id: g.groupId, path: `via ${g.chain.join(' → ')}` }))];
  return principals
    .flatMap((p) => truth.filter((g) => g.granteeId === p.id).map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].sort().join(',')}|${p.path}`))
    .sort();
}

/** Everyone a grant to `groupId` reaches, each with the chain of groups below it ("" when direct). */
export function expectedMembers(org: SeedOrganization, groupId: string): string[] {
  const groups = new Map(org.groups.map((g) => [g.id, g]));
  const nameOf = (id: string) => groups.get(id)?.name ?? id;
  const seen = new Set<string>([groupId]);
  const found: string[] = [];
  let level = [{ id: groupId, chain: [] as string[] }];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { id, chain } of level) {
      for (const member of groups.get(id)?.members ?? []) {
        if (seen.has(member)) {
          continue;
        }
        seen.add(member);
        found.push(`${member}|${chain.join(' → ')}`);
        if (groups.has(member)) {
          next.push({ id: member, chain: [...chain, nameOf(member)] });
        }
      }
    }
    level = next;
  }
  return found.sort();
}

/** Loads another seed into the emulator (freshStart's reset goes back to the sample). */
export async function loadSeed(seed: SeedDocument): Promise<void> {
  await admin('POST', '/reset', seed);
  await vscode.commands.executeCommand('workmail.refresh');
}

export { runCommand } from '../run';

export function tempFile(name: string): { file: string; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-audit-'));
  return { file: path.join(dir, name), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The markdown preview tab whose title matches, in any editor group. The tab model reaches the
 * extension host a moment after the preview opens, so this waits for the change event (the host
 * run's own timeout ends a wait that never ends).
 */
export async function previewTab(title: string | RegExp): Promise<vscode.Tab> {
  const find = (): vscode.Tab | undefined =>
    vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .find((tab) => (typeof title === 'string' ? tab.label === title : title.test(tab.label)) && tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType));
  for (;;) {
    const found = find();
    if (found) {
      return found;
    }
    await new Promise<void>((resolve) => {
      const listener = vscode.window.tabGroups.onDidChangeTabs(() => {
        listener.dispose();
        resolve();
      });
    });
  }
}

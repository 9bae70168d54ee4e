// Text that is safe to put in a generated script or checklist: the addresses a command may name
// unquoted, PowerShell strings, POSIX/GAM shell words, one-line comments, and how an entity is named
// in a label. Apart from common.ts (which re-exports it) so the quoting rules can be read in one place.
import { INVISIBLE } from '../markdown';
import type { SnapshotEntity } from '../schema';

// Deliberately narrower than the WorkMail model's Email pattern: addresses go into scripts unquoted
// in places (GAM batch words, CSV cells), so nothing that a shell or PowerShell could read as syntax.
export const SAFE_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z-]{2,}$/;

/** A PowerShell single-quoted string. PowerShell also ends such strings at the typographic quotes. */
export function powerShellString(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/** Text safe inside a one-line comment of any script: no line breaks or control characters. */
export function commentText(value: string): string {
  // Line breaks and control characters become spaces; bidirectional and invisible characters go,
  // so a line reads in a review as it runs (the same set the markdown reports remove).
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(INVISIBLE, '');
}

/**
 * One word for a POSIX shell, and for GAM's batch reader (Python's shlex in POSIX mode): single
 * quotes, each single quote written as '\''. Line breaks and control characters become spaces, so a
 * name can never end the line a command is on.
 */
export function shellWord(value: string): string {
  return `'${commentText(value).replace(/'/g, `'\\''`)}'`;
}

/** Where a label shows an entity: its address, else its name, else its ID, with the ID beside. */
export function describeEntity(entity: SnapshotEntity | undefined, id: string | undefined): string {
  if (!entity) {
    return id ?? '(unknown)';
  }
  const label = entity.email ?? entity.name ?? entity.id;
  return label === entity.id ? label : `${label} (${entity.id})`;
}

/**
 * Text for one line of a markdown checklist: a comment's text with the characters that start
 * markdown escaped (an underscore inside a word, as in FULL_ACCESS, starts nothing and is kept), and
 * bare web addresses broken so a renderer makes no link of a name.
 */
export function markdownLine(value: string): string {
  return commentText(value)
    .replace(/([\\`*[\]<|~])/g, '\\$1')
    .replace(/\b(https?):\/\//gi, '$1\\://')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}\\.`);
}

// The words both drift reports are written in (drift.ts: grants and entities; routeDrift.ts: the
// other routes): one field's change, why something was not compared, and a section of the markdown
// report. Apart from both because drift.ts imports routeDrift.ts, so neither can hold them for the
// other; one place keeps the two halves of one report saying things the same way.

/** "state ENABLED → DISABLED"; an empty or missing value is "(none)". */
export function fieldChange(field: string, before: string | undefined, after: string | undefined): string {
  return `${field} ${before || '(none)'} → ${after || '(none)'}`;
}

/** Why a part was not compared: "could not be read in before (ThrottlingException)". */
export function unreadIn(label: string, code: string): string {
  return `could not be read in ${label} (${code})`;
}

/**
 * A titled table of the markdown report, "## Grants added (2)", or nothing when it has no row.
 * Cells are written as given: the caller makes values from WorkMail or a file inert.
 */
export function markdownTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  if (rows.length === 0) return [];
  return [`## ${title} (${rows.length})`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
}

/** A titled list of what was not compared and why, or nothing; values are written as given. */
export function markdownNotCompared(title: string, items: ReadonlyArray<{ readonly subject: string; readonly why: string }>): string[] {
  if (items.length === 0) return [];
  return [`## ${title} (${items.length})`, '', ...items.map((item) => `- ${item.subject}: ${item.why}`), ''];
}

// Counts as a person writes them ("1 mailbox", "31 mailboxes", never "mailbox(es)") in the
// English text of the command-line tool and the reports built outside VS Code. The extension's
// own messages use one translatable string per form instead (src/commands/ui/labels.ts).
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${noun(count, one, many)}`;
}

/** The word alone, for text that sets the number apart ("**3** waves"). */
export function noun(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

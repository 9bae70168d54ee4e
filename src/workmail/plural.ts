// Counts as a person writes them ("1 mailbox", "31 mailboxes", never "mailbox(es)") in the
// English text of the command-line tool and the reports built outside VS Code. The extension's
// own messages use one translatable string per form instead (src/commands/ui/labels.ts).
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// Values from a file or the directory inside markdown written by the command-line tool: one line,
// no table-cell break, no markup. (VS Code's reports use escapeMarkdown, which also drops control
// and bidirectional characters before showing them.)
export function markdownCell(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~&$]/g, (ch) => `\\${ch}`);
}

// Text from the directory (names, addresses) made inert inside a markdown report written by the
// access layer or the command line: no control, bidirectional or invisible characters, markdown
// and HTML escaped, shortened. The VS Code side has the same rules in src/tree/display.ts and
// escapeMarkdown (src/commands/audit/accessDocument.ts), which this layer cannot import.

// eslint-disable-next-line no-control-regex -- control characters are what is removed
export const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

export function markdownText(value: string | undefined, max = 200): string {
  if (!value) {
    return '';
  }
  const cleaned = value.replace(INVISIBLE, (ch) => (/[\t\n\r\f\v]/.test(ch) ? ' ' : '')).replace(/\s+/g, ' ').trim();
  const chars = Array.from(cleaned);
  const short = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : cleaned;
  return short.replace(/[\\`*_[\]<>|~&$#]/g, (ch) => `\\${ch}`);
}

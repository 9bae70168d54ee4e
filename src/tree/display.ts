// Text from WorkMail (names, display names, emails, aliases, error messages) shown in the tree.
// The directory is edited by other people, so its text is treated as hostile: control characters
// and bidirectional marks could disguise one entity as another (or an address as a file name),
// markdown or HTML in a tooltip could link to a command, and a 10,000-character name would swamp
// the view. Labels and descriptions are neutralised and shortened; tooltips are untrusted
// markdown that escapes everything it is given.
import * as vscode from 'vscode';

/** Longest label or description the tree shows; the full text (shortened less) is in the tooltip. */
export const LABEL_MAX = 120;
/** Longest value one tooltip line shows. */
export const TOOLTIP_VALUE_MAX = 600;

// C0 and C1 controls, bidirectional embeddings, overrides, isolates and marks, zero-width and
// invisible formatting characters, the byte-order mark.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** One line of inert text: no controls, no bidi or invisible characters, at most `max` characters. */
export function displayText(value: string | undefined, max = LABEL_MAX): string {
  if (!value) {
    return '';
  }
  const cleaned = value
    .replace(INVISIBLE, (ch) => (/[\t\n\r\f\v]/.test(ch) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim();
  // By code points, so a shortened label never ends in half a surrogate pair.
  const chars = Array.from(cleaned);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : cleaned;
}

/**
 * A tooltip of "**Label:** value" lines. Values are escaped (markdown by appendText, and `<` so no
 * HTML survives), links and HTML are off, and nothing in it can run a command.
 */
export function safeTooltip(lines: ReadonlyArray<readonly [string, string | undefined]>): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  for (const [label, value] of lines) {
    if (value === undefined || value === '') {
      continue;
    }
    tooltip.appendMarkdown(`**${label}:** `);
    appendInert(tooltip, displayText(value, TOOLTIP_VALUE_MAX));
    tooltip.appendMarkdown('  \n');
  }
  return tooltip;
}

/** Appends text that renders exactly as given: markdown escaped, `<` and `&` as entities. */
export function appendInert(tooltip: vscode.MarkdownString, text: string): void {
  tooltip.appendText(text.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
}

/** How a disabled or deleted entity is marked wherever it is shown: a word and an icon colour. */
export function stateMarker(state: string | undefined): { readonly word?: string; readonly colour?: vscode.ThemeColor } {
  switch (state) {
    case 'DISABLED':
      return { word: vscode.l10n.t('(disabled)'), colour: new vscode.ThemeColor('disabledForeground') };
    case 'DELETED':
      return { word: vscode.l10n.t('(deleted)'), colour: new vscode.ThemeColor('list.errorForeground') };
    default:
      return {};
  }
}

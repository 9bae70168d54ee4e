// Types for check-commands.mjs, for the tests in test/scripts.
export function checkCommands(
  manifest: { contributes?: unknown },
  sources: string[],
  strings?: Record<string, string>,
): { missing: string[]; undeclared: string[]; untranslated?: string[] };
export const DEFERRED_FOLDERS: string[];
export function checkDeferred(extensionSource: string, deferredSources: string[]): { withoutStandIn: string[]; standInWithoutCommand: string[] };

// `npm run check:commands`: a fast static check, for CI and pre-commit, that every command declared
// in package.json is mentioned by the source (so it can be registered) and that every `workmail.*`
// id in the source that is not a setting, view or context key is declared. The extension-host test
// test/extension.test.ts checks the same against the real registrations at runtime.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ID = /^workmail\.[A-Za-z][A-Za-z0-9.]*$/;

/**
 * @param {{ contributes?: any }} manifest package.json
 * @param {string[]} sources contents of the source files
 * @param {Record<string, string>} [strings] package.nls.json, whose keys the manifest's %key% strings name
 * @returns {{ missing: string[], undeclared: string[], untranslated?: string[] }}
 */
export function checkCommands(manifest, sources, strings) {
  const contributes = manifest.contributes ?? {};
  const declared = new Set((contributes.commands ?? []).map((entry) => entry.command));

  const notCommands = new Set();
  const configurations = Array.isArray(contributes.configuration) ? contributes.configuration : [contributes.configuration ?? {}];
  for (const section of configurations) for (const key of Object.keys(section.properties ?? {})) notCommands.add(key);
  for (const views of Object.values(contributes.views ?? {})) for (const view of views) notCommands.add(view.id);
  for (const containers of Object.values(contributes.viewsContainers ?? {})) for (const container of containers) notCommands.add(container.id);
  // Context keys are the workmail.* names used in `when` clauses that are not commands.
  const whenClauses = JSON.stringify(manifest).match(/"when":"[^"]*"/g) ?? [];
  for (const clause of whenClauses) for (const name of clause.match(/workmail\.[A-Za-z][A-Za-z0-9.]*/g) ?? []) if (!declared.has(name)) notCommands.add(name);
  // A walkthrough step completes on a context key (onContext:), or when a command runs (onCommand:)
  // or is clicked (command: links): those commands must exist.
  const walkthroughCommands = new Set();
  for (const walkthrough of contributes.walkthroughs ?? []) {
    for (const step of walkthrough.steps ?? []) {
      for (const event of step.completionEvents ?? []) {
        const [kind, rest = ''] = event.split(/:(.*)/s);
        if (kind === 'onContext') for (const name of rest.match(/workmail\.[A-Za-z][A-Za-z0-9.]*/g) ?? []) notCommands.add(name);
        if (kind === 'onCommand' && rest.startsWith('workmail.')) walkthroughCommands.add(rest);
      }
      for (const match of String(step.description ?? '').matchAll(/\(command:(workmail\.[A-Za-z][A-Za-z0-9.]*)/g)) walkthroughCommands.add(match[1]);
    }
  }

  const mentioned = new Set();
  for (const source of sources) {
    for (const match of source.matchAll(/['"`](workmail\.[A-Za-z][A-Za-z0-9.]*)['"`]/g)) if (ID.test(match[1])) mentioned.add(match[1]);
  }
  const missing = [...declared].filter((id) => !mentioned.has(id)).sort();
  const undeclared = [...new Set([...mentioned, ...walkthroughCommands])].filter((id) => !declared.has(id) && !notCommands.has(id)).sort();
  // Manifest text lives in package.nls.json: a %key% without its text would show as the key.
  const untranslated = strings === undefined ? [] : [...new Set(JSON.stringify(manifest).match(/"%[^"%]+%"/g) ?? [])].map((k) => k.slice(2, -2)).filter((key) => typeof strings[key] !== 'string').sort();
  return untranslated.length ? { missing, undeclared, untranslated } : { missing, undeclared };
}

/** The folders whose commands src/extension.ts registers late, each behind a stand-in until then. */
export const DEFERRED_FOLDERS = ['src/commands/permissions', 'src/commands/delegates', 'src/commands/audit', 'src/commands/migration', 'src/commands/changes'];

/**
 * Every command of a deferred folder (its `*_COMMAND = 'workmail.…'` constant) must have a stand-in
 * in src/extension.ts's DEFERRED_COMMANDS, or running it in the first moment after activation would
 * find no command; and every stand-in must belong to such a command.
 * @param {string} extensionSource src/extension.ts
 * @param {string[]} deferredSources the sources of DEFERRED_FOLDERS
 * @returns {{ withoutStandIn: string[], standInWithoutCommand: string[] }}
 */
export function checkDeferred(extensionSource, deferredSources) {
  const list = /const DEFERRED_COMMANDS = \[([^\]]*)\]/.exec(extensionSource)?.[1] ?? '';
  const standIns = new Set([...list.matchAll(/'(workmail\.[A-Za-z0-9.]+)'/g)].map((m) => m[1]));
  const commands = new Set(deferredSources.flatMap((source) => [...source.matchAll(/_COMMAND = '(workmail\.[A-Za-z0-9.]+)'/g)].map((m) => m[1])));
  return {
    withoutStandIn: [...commands].filter((id) => !standIns.has(id)).sort(),
    standInWithoutCommand: [...standIns].filter((id) => !commands.has(id)).sort(),
  };
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = new URL('..', import.meta.url).pathname;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const strings = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
  const { missing, undeclared, untranslated = [] } = checkCommands(manifest, sourceFiles(join(root, 'src')).map((file) => readFileSync(file, 'utf8')), strings);
  for (const id of missing) console.error(`declared in package.json but never mentioned in src/: ${id}`);
  for (const id of undeclared) console.error(`used in src/ but not declared in package.json contributes.commands: ${id}`);
  for (const key of untranslated) console.error(`package.json names %${key}% but package.nls.json has no text for it`);
  const deferred = checkDeferred(readFileSync(join(root, 'src', 'extension.ts'), 'utf8'), DEFERRED_FOLDERS.flatMap((folder) => sourceFiles(join(root, folder)).map((file) => readFileSync(file, 'utf8'))));
  for (const id of deferred.withoutStandIn) console.error(`${id} is registered late (a deferred folder) but has no stand-in in src/extension.ts DEFERRED_COMMANDS`);
  for (const id of deferred.standInWithoutCommand) console.error(`src/extension.ts DEFERRED_COMMANDS names ${id}, which no deferred folder registers`);
  if (missing.length || undeclared.length || untranslated.length || deferred.withoutStandIn.length || deferred.standInWithoutCommand.length) process.exit(1);
  console.log(`check-commands: ${(manifest.contributes?.commands ?? []).length} commands declared and used`);
}

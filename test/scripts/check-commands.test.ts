import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCommands, checkDeferred, DEFERRED_FOLDERS } from '../../scripts/check-commands.mjs';

const manifest = {
  contributes: {
    commands: [{ command: 'workmail.refresh' }, { command: 'workmail.grantPermissions' }],
    configuration: { properties: { 'workmail.profile': {}, 'workmail.endpoint': {} } },
    views: { workmail: [{ id: 'workmail.explorer' }] },
    viewsContainers: { activitybar: [{ id: 'workmail' }] },
    viewsWelcome: [{ view: 'workmail.explorer', when: '!workmail.noCredentials && workmail.loaded' }],
  },
};

describe('check-commands', () => {
  it('passes when declared commands and the ids in the source agree', () => {
    const source = `register('workmail.refresh'); register("workmail.grantPermissions");
      config.get('workmail.profile'); setContext('workmail.noCredentials', true); createTreeView(\`workmail.explorer\`)`;
    assert.deepEqual(checkCommands(manifest, [source]), { missing: [], undeclared: [] });
  });

  it('reports a declared command the source never mentions', () => {
    assert.deepEqual(checkCommands(manifest, ["register('workmail.refresh')"]).missing, ['workmail.grantPermissions']);
  });

  it('reports a command id in the source that package.json does not declare', () => {
    const sources = ["register('workmail.refresh')", "register('workmail.grantPermissions'); register('workmail.exportCsv')"];
    assert.deepEqual(checkCommands(manifest, sources).undeclared, ['workmail.exportCsv']);
  });

  it('takes the context keys of walkthrough steps as context keys, and their commands as commands to declare', () => {
    const withWalkthrough = {
      contributes: {
        ...manifest.contributes,
        walkthroughs: [
          {
            steps: [
              { description: '[Go](command:workmail.refresh)', completionEvents: ['onContext:workmail.mailboxBrowsed', 'onView:workmail.explorer'] },
              { description: '[Go](command:workmail.exportCsv)', completionEvents: ['onCommand:workmail.grantPermissions', 'onCommand:workmail.planWaves'] },
            ],
          },
        ],
      },
    };
    const source = "register('workmail.refresh'); register('workmail.grantPermissions'); setContext('workmail.mailboxBrowsed', true)";
    assert.deepEqual(checkCommands(withWalkthrough, [source]), { missing: [], undeclared: ['workmail.exportCsv', 'workmail.planWaves'] });
  });

  it('reports a %key% of the manifest that package.nls.json has no text for', () => {
    const localized = { contributes: { ...manifest.contributes, commands: [{ command: 'workmail.refresh', title: '%command.refresh.title%', category: '%command.category%' }] } };
    const source = "register('workmail.refresh')";
    assert.deepEqual(checkCommands(localized, [source], { 'command.refresh.title': 'Refresh', 'command.category': 'WorkMail' }), { missing: [], undeclared: [] });
    assert.deepEqual(checkCommands(localized, [source], { 'command.category': 'WorkMail' }).untranslated, ['command.refresh.title']);
  });

  it('every command registered late has a stand-in in src/extension.ts, and every stand-in a command', () => {
    const root = join(__dirname, '..', '..');
    const deferred = DEFERRED_FOLDERS.flatMap((folder) => readdirSync(join(root, folder)).filter((name) => name.endsWith('.ts')).map((name) => readFileSync(join(root, folder, name), 'utf8')));
    assert.ok(deferred.length > 0);
    assert.deepEqual(checkDeferred(readFileSync(join(root, 'src', 'extension.ts'), 'utf8'), deferred), { withoutStandIn: [], standInWithoutCommand: [] });
    const extension = "const DEFERRED_COMMANDS = [\n  'workmail.showAccessOf',\n  'workmail.gone',\n] as const;";
    const sources = ["export const SHOW_ACCESS_COMMAND = 'workmail.showAccessOf';", "export const NEW_COMMAND = 'workmail.newOne';"];
    assert.deepEqual(checkDeferred(extension, sources), { withoutStandIn: ['workmail.newOne'], standInWithoutCommand: ['workmail.gone'] });
  });
});

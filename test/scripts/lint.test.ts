// The lint configuration holds the layering of docs/CONTRACTS.md: each rule is shown to fire on a
// deliberate violation and to stay quiet on the allowed form, through ESLint's own API.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');

async function problems(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('lint configuration', function () {
  this.timeout(60_000);

  it('fails a `vscode` import in the access layer and in the command-line tool', async () => {
    for (const file of ['src/workmail/newModule.ts', 'src/workmail/session.ts', 'src/cli/newCommand.ts']) {
      const found = await problems(file, "import * as vscode from 'vscode';\nexport const shown = vscode.window;\n");
      assert.ok(found.some((p) => p.startsWith('@typescript-eslint/no-restricted-imports') && /keep `vscode` out/.test(p)), `${file}: ${found.join('; ')}`);
    }
  });

  it('allows `vscode` in commands and the tree', async () => {
    assert.deepEqual(await problems('src/commands/newCommand.ts', "import * as vscode from 'vscode';\nexport const shown = vscode.window;\n"), []);
  });

  it('keeps the AWS SDK out of what activation loads: value imports fail, type imports pass', async () => {
    const value = await problems('src/commands/newCommand.ts', "import { WorkMailSession } from '../workmail/session';\nexport const made = WorkMailSession;\n");
    assert.ok(value.some((p) => /import it as a type only/.test(p)), value.join('; '));
    const sdk = await problems('src/workmail/scanHelper.ts', "import { WorkMailClient } from '@aws-sdk/client-workmail';\nexport const made = WorkMailClient;\n");
    assert.ok(sdk.some((p) => /Only the SDK-backed modules/.test(p)), sdk.join('; '));
    assert.deepEqual(await problems('src/commands/newCommand.ts', "import type { WorkMailSession } from '../workmail/session';\nexport type Made = WorkMailSession;\n"), []);
    // A sibling in the access layer is the SDK-backed module; in src/commands, ./permissions is the commands' own folder.
    const sibling = await problems('src/workmail/newModule.ts', "import { PermissionWriter } from './permissions';\nexport const made = PermissionWriter;\n");
    assert.ok(sibling.some((p) => /import it as a type only/.test(p)), sibling.join('; '));
    // From a folder of the access layer (scan/, changes/, migration/), one level up.
    const fromFolder = await problems('src/workmail/scan/newStep.ts', "import { WorkMailSession } from '../session';\nexport const made = WorkMailSession;\n");
    assert.ok(fromFolder.some((p) => /import it as a type only/.test(p)), fromFolder.join('; '));
    assert.deepEqual(await problems('src/workmail/scan/newStep.ts', "import type { WorkMailSession } from '../session';\nexport type Made = WorkMailSession;\n"), []);
    assert.deepEqual(await problems('src/commands/newCommand.ts', "import { registerPermissionCommands } from './permissions';\nexport const made = registerPermissionCommands;\n"), []);
  });

  it('lets the SDK-backed modules and the command-line tool use the SDK', async () => {
    assert.deepEqual(await problems('src/workmail/session.ts', "import { WorkMailClient } from '@aws-sdk/client-workmail';\nexport const made = WorkMailClient;\n"), []);
    assert.deepEqual(await problems('src/cli/newCommand.ts', "import { WorkMailSession } from '../workmail/session';\nexport const made = WorkMailSession;\n"), []);
  });

  it('keeps test/ out of src/, and commands on the UI port rather than an implementation of it', async () => {
    for (const file of ['src/commands/permissions/newCommand.ts', 'src/workmail/newModule.ts', 'src/cli/newCommand.ts', 'src/extension.ts']) {
      const found = await problems(file, "import { ScriptedUi } from '../../test/commands/scriptedUi';\nexport const made = ScriptedUi;\n");
      assert.ok(found.some((p) => /never import from test\//.test(p)), `${file}: ${found.join('; ') || 'no problem reported'}`);
    }
    const implementation = await problems('src/commands/permissions/newCommand.ts', "import { VsCodeCommandUi } from '../ui/vscodeUi';\nexport const made = VsCodeCommandUi;\n");
    assert.ok(implementation.some((p) => /Take the run's CommandUi/.test(p)), implementation.join('; ') || 'no problem reported');
    assert.deepEqual(await problems('src/commands/permissions/newCommand.ts', "import type { CommandUi } from '../ui/commandUi';\nexport type Made = CommandUi;\n"), []);
    assert.deepEqual(await problems('src/extension.ts', "import { VsCodeCommandUi } from './commands/ui/vscodeUi';\nexport const made = VsCodeCommandUi;\n"), []);
  });

  it('reports a disable comment that disables nothing', async () => {
    const found = await problems('src/workmail/newModule.ts', '// eslint-disable-next-line no-control-regex\nexport const plain = /a/;\n');
    assert.ok(found.some((p) => /Unused eslint-disable directive/.test(p)), found.join('; '));
  });

  describe('localizable text in the commands and the tree', () => {
    const header = "import * as vscode from 'vscode';\ndeclare const ui: { info(t: string): void; warn(t: string): void };\ndeclare const ctx: { ui: typeof ui };\ndeclare const name: string;\n";
    const bare: Record<string, string> = {
      'an information message': "void vscode.window.showInformationMessage('Exported the permissions.');",
      'a warning message (template)': 'void vscode.window.showWarningMessage(`Could not read ${name}.`);',
      'an error message': "void vscode.window.showErrorMessage('Failed.');",
      'a button of a message': "void vscode.window.showWarningMessage(vscode.l10n.t('Failed.'), 'Retry');",
      'the detail of a modal': "void vscode.window.showWarningMessage(vscode.l10n.t('Sure?'), { modal: true, detail: 'It cannot be undone.' });",
      'quick pick items': "void vscode.window.showQuickPick(['Users', 'Groups']);",
      'a quick pick item label': "void vscode.window.showQuickPick([{ label: 'Users' }]);",
      'a quick pick title': "void vscode.window.showQuickPick([], { title: 'Filter' });",
      'a quick pick placeholder (template)': 'void vscode.window.showQuickPick([], { placeHolder: `Choose ${name}` });',
      'a createQuickPick title': "const picker = vscode.window.createQuickPick();\npicker.title = 'Grant permissions';",
      'an input box prompt': "void vscode.window.showInputBox({ prompt: 'Name starts with' });",
      'a command UI message': "ui.info('Done.');\nctx.ui.warn(`Done with ${name}.`);",
    };
    for (const [what, code] of Object.entries(bare)) {
      it(`fails ${what} that is a bare literal`, async () => {
        for (const file of ['src/commands/newCommand.ts', 'src/tree/newNode.ts']) {
          const found = await problems(file, header + code + '\n');
          assert.ok(found.some((p) => p.startsWith('no-restricted-syntax') && /vscode\.l10n\.t/.test(p)), `${file}, ${what}: ${found.join('; ') || 'no problem reported'}`);
        }
      });
    }

    it('allows vscode.l10n.t(...) results, constants and variables', async () => {
      const code =
        header +
        "const FILTER = vscode.l10n.t('Filter');\n" +
        "void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0}.', name));\n" +
        "void vscode.window.showWarningMessage(vscode.l10n.t('Failed.'), FILTER);\n" +
        "void vscode.window.showQuickPick([{ label: FILTER, description: vscode.l10n.t('by name') }], { title: FILTER, placeHolder: vscode.l10n.t('Choose') });\n" +
        "const picker = vscode.window.createQuickPick();\npicker.title = FILTER;\n" +
        "void vscode.window.showInputBox({ prompt: vscode.l10n.t('Name starts with') });\n" +
        'ui.info(name);\nctx.ui.warn(FILTER);\n';
      assert.deepEqual(await problems('src/commands/newCommand.ts', code), []);
    });

    it('leaves the command-line tool alone: it speaks English only', async () => {
      const found = await problems('src/cli/newCommand.ts', "declare const ui: { info(t: string): void };\nui.info('Done.');\n");
      assert.ok(!found.some((p) => p.startsWith('no-restricted-syntax')), found.join('; '));
    });
  });
});

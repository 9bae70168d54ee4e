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
  });

  it('lets the SDK-backed modules and the command-line tool use the SDK', async () => {
    assert.deepEqual(await problems('src/workmail/session.ts', "import { WorkMailClient } from '@aws-sdk/client-workmail';\nexport const made = WorkMailClient;\n"), []);
    assert.deepEqual(await problems('src/cli/newCommand.ts', "import { WorkMailSession } from '../workmail/session';\nexport const made = WorkMailSession;\n"), []);
  });

  it('reports a disable comment that disables nothing', async () => {
    const found = await problems('src/workmail/newModule.ts', '// eslint-disable-next-line no-control-regex\nexport const plain = /a/;\n');
    assert.ok(found.some((p) => /Unused eslint-disable directive/.test(p)), found.join('; '));
  });
});

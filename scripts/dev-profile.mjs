// `node scripts/dev-profile.mjs`: the user-data folder "Run Extension" (F5, .vscode/launch.json)
// starts VS Code with: user settings that point the extension at the local emulator
// (http://127.0.0.1:4510, started by the "emulator" task) with the fixture profile "emulator".
// Kept under .vscode-dev/ (ignored by git), so your own VS Code settings are never touched.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/harness.mjs';

const userDir = join(REPO_ROOT, '.vscode-dev', 'user-data', 'User');
mkdirSync(userDir, { recursive: true });
writeFileSync(
  join(userDir, 'settings.json'),
  `${JSON.stringify({ 'workmail.endpoint': 'http://127.0.0.1:4510', 'workmail.profile': 'emulator', 'security.workspace.trust.enabled': false }, null, 2)}\n`,
);
console.log(`dev profile ready: ${userDir}`);

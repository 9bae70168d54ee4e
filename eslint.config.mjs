// ESLint for the whole repository (npm run lint, part of npm test). Besides the recommended rules,
// it holds the layering that docs/CONTRACTS.md describes:
// - the access layer (src/workmail) and the command-line tool (src/cli) never import `vscode`;
// - only the SDK-backed modules of the access layer import the AWS SDK or proper-lockfile, and
//   everything else imports those modules as types only, so the SDK stays out of dist/extension.js
//   (loaded at activation) and is loaded with dist/workmail.js on the first WorkMail call.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Modules bundled into dist/workmail.js: the only ones that may load the SDK at run time. */
const SDK_MODULES = ['src/workmail/session.ts', 'src/workmail/clientPool.ts', 'src/workmail/routeReads.ts', 'src/workmail/permissions.ts', 'src/workmail/credentials.ts', 'src/workmail/pendingWrites.ts', 'src/workmail/sdk.ts'];

const NO_VSCODE = {
  name: 'vscode',
  message: 'The access layer and the command-line tool run without VS Code: keep `vscode` out of src/workmail and src/cli.',
};

const SDK_PACKAGES = {
  group: ['@aws-sdk/*', '@smithy/*', 'proper-lockfile'],
  allowTypeImports: true,
  message: 'Only the SDK-backed modules of src/workmail (bundled as dist/workmail.js) may load the AWS SDK; import types only, or get the classes from loadWorkMail().',
};

const SDK_BACKED_NAMES = ['session', 'routeReads', 'clientPool', 'permissions', 'credentials', 'pendingWrites', 'sdk'];
const SDK_BACKED_MESSAGE = 'This module loads the AWS SDK: import it as a type only (`import type`), and get the classes from loadWorkMail() (src/workmailLoader.ts).';
/** Outside src/workmail, by a path through workmail/ (src/commands/permissions is another module). */
const SDK_BACKED = { group: SDK_BACKED_NAMES.map((name) => `**/workmail/${name}`), allowTypeImports: true, message: SDK_BACKED_MESSAGE };
/** Inside src/workmail, also as siblings, and from its folders (scan/, changes/, migration/) one level up. */
const SDK_BACKED_SIBLINGS = { group: SDK_BACKED_NAMES.flatMap((name) => [`**/workmail/${name}`, `./${name}`, `../${name}`]), allowTypeImports: true, message: SDK_BACKED_MESSAGE };

/** Tests script the UI of a run (test/commands/scriptedUi.ts); nothing in src/ reaches into test/. */
const NO_TEST = { group: ['**/test/**', '../../test/*'], message: 'The extension and the command-line tool never import from test/: tests give a command their scripted UI through the test handle (src/testHandle.ts).' };

/**
 * Commands talk to the person through the CommandUi port (src/commands/ui/commandUi.ts), never a
 * particular implementation: which one a run gets is decided in src/extension.ts.
 */
const NO_UI_IMPLEMENTATION = { group: ['**/ui/vscodeUi', './vscodeUi'], message: 'Take the run\'s CommandUi (ctx.ui, run.ui) instead: src/extension.ts decides which implementation a run talks through.' };

/**
 * Text a person reads goes through `vscode.l10n.t` (or a constant made with it): a string or
 * template literal handed straight to a message, quick pick, input box or the commands' own dialogs
 * would stay English in every language. The selectors name where such text goes.
 */
const TEXT = ':matches(Literal[raw=/^["\']/], TemplateLiteral)';
const MESSAGE = 'CallExpression[callee.property.name=/^show(Information|Warning|Error)Message$/]';
const DIALOGS = 'CallExpression[callee.property.name=/^(info|warn|error|confirm|offer|withProgress)$/]:matches([callee.object.name="ui"], [callee.object.property.name="ui"])';
const L10N_MESSAGE = 'Wrap the text in vscode.l10n.t(...) (or use a constant made with it), so it can be translated: npm run l10n collects it.';
export const LOCALIZED_TEXT_RULE = [
  'error',
  ...[
    `${MESSAGE} > ${TEXT}.arguments`,
    `${MESSAGE} > ObjectExpression.arguments > Property[key.name="detail"] > ${TEXT}.value`,
    `${DIALOGS} > ${TEXT}.arguments`,
    `CallExpression[callee.property.name="showQuickPick"] > ArrayExpression.arguments > ${TEXT}.elements`,
    `CallExpression[callee.property.name="showQuickPick"] > ArrayExpression.arguments > ObjectExpression > Property[key.name=/^(label|description|detail)$/] > ${TEXT}.value`,
    `CallExpression[callee.property.name=/^(showQuickPick|showInputBox)$/] > ObjectExpression.arguments > Property[key.name=/^(title|placeHolder|prompt|validationMessage)$/] > ${TEXT}.value`,
    `AssignmentExpression[left.property.name=/^(title|placeholder|prompt|validationMessage)$/] > ${TEXT}.right`,
    // The commands' own quick picks (ui/quickPick.ts), progress and refusals.
    `CallExpression[callee.name=/^(pickOne|pickMany)$/] > ObjectExpression.arguments > Property[key.name=/^(title|placeholder)$/] > ${TEXT}.value`,
    `CallExpression[callee.name=/^(pickOne|pickMany)$/] > ObjectExpression.arguments > Property[key.name="items"] > ArrayExpression > ObjectExpression > Property[key.name=/^(description|detail)$/] > ${TEXT}.value`,
    `CallExpression[callee.name="withCancellableProgress"] > ObjectExpression.arguments > Property[key.name="title"] > ${TEXT}.value`,
    `CallExpression[callee.property.name="report"] > ObjectExpression.arguments > Property[key.name="message"] > ${TEXT}.value`,
    `NewExpression[callee.name="InvalidChoiceError"] > ${TEXT}.arguments`,
  ].map((selector) => ({ selector, message: L10N_MESSAGE })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'emulator/model/**', '.vscode-test/**', '**/*.vsix', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS probes loaded by plain Node.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The rest of the access layer is in both bundles: no SDK at run time.
    files: ['src/workmail/**/*.ts'],
    ignores: SDK_MODULES,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [SDK_PACKAGES, SDK_BACKED_SIBLINGS, NO_TEST] }] },
  },
  {
    // The SDK-backed modules, and the command-line tool (its own bundle, SDK included).
    files: [...SDK_MODULES, 'src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [NO_VSCODE], patterns: [NO_TEST] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/workmail/**', 'src/cli/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [SDK_PACKAGES, SDK_BACKED, NO_TEST] }] },
  },
  {
    files: ['src/commands/**/*.ts'],
    ignores: ['src/commands/ui/vscodeUi.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [SDK_PACKAGES, SDK_BACKED, NO_TEST, NO_UI_IMPLEMENTATION] }] },
  },
  {
    // What the commands, the tree and the status bar show is localizable (the command-line tool is English only).
    files: ['src/commands/**/*.ts', 'src/tree/**/*.ts', 'src/extension.ts', 'src/profileStatus.ts'],
    rules: { 'no-restricted-syntax': LOCALIZED_TEXT_RULE },
  },
);

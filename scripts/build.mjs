// Bundles the extension (and, with --tests, the extension-host test suite) with esbuild.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const withTests = args.has('--tests');
// --watch: rebuild both extension bundles on every change (the "watch" task that F5 starts).
const watch = args.has('--watch');
const root = new URL('..', import.meta.url).pathname;

/** Test files that need the `vscode` API: everything under test/ except the plain-Node folders. */
const PLAIN_NODE_TEST_DIRS = new Set(['workmail', 'emulator', 'scripts', 'ui', 'fixtures', 'bench', 'cli']);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function hostTestFiles() {
  const testRoot = join(root, 'test');
  return walk(testRoot).filter((file) => {
    const top = relative(testRoot, file).split('/')[0];
    return file.endsWith('.test.ts') && !PLAIN_NODE_TEST_DIRS.has(top);
  });
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // jsonc-parser's "main" is a UMD build whose dynamic require()s esbuild cannot follow; its ESM
  // build bundles cleanly.
  alias: { 'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/**
 * In a CommonJS bundle every module's `import * as vscode from 'vscode'` stays its own
 * require("vscode") (56 of them in dist/extension.js), and the extension host answers each one
 * through its module interceptor, which realpaths the requiring file (an lstat per path segment)
 * every time: about a tenth of activation, measured with `npm run bench`. This resolves 'vscode' to
 * one module of the bundle that requires it once.
 */
const requireVscodeOnce = {
  name: 'require-vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: 'export * from "vscode";', loader: 'js' }));
  },
};

if (watch) {
  /** Lines the task's problem matcher waits for (.vscode/tasks.json). */
  const announce = {
    name: 'announce',
    setup(build) {
      build.onStart(() => console.log('[watch] build started'));
      build.onEnd((result) => {
        for (const error of result.errors) console.log(`✘ [ERROR] ${error.text}`);
        console.log('[watch] build finished');
      });
    },
  };
  const extension = await esbuild.context({ ...common, entryPoints: [join(root, 'src/extension.ts')], outfile: join(root, 'dist/extension.js'), external: ['vscode', './workmail.js'], plugins: [announce, requireVscodeOnce] });
  const sdk = await esbuild.context({ ...common, entryPoints: [join(root, 'src/workmail/sdk.ts')], outfile: join(root, 'dist/workmail.js') });
  await Promise.all([extension.watch(), sdk.watch()]);
  // Runs until the task is stopped; the SDK check of a full build (below) is `npm run build`'s.
  await new Promise(() => {});
}

// Two bundles: dist/extension.js is what activation loads and must stay free of the AWS SDK;
// dist/workmail.js holds the SDK-backed access layer and is loaded on the first WorkMail call
// (src/workmailLoader.ts). Loading the SDK up front cost most of the activation time.
const extensionBuild = await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src/extension.ts')],
  outfile: join(root, 'dist/extension.js'),
  external: ['vscode', './workmail.js'],
  plugins: [requireVscodeOnce],
  metafile: true,
});
const sdkInputs = Object.keys(extensionBuild.metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(input));
if (sdkInputs.length > 0) {
  console.error(`dist/extension.js must not contain the AWS SDK (import it as a type, load it through src/workmailLoader.ts); found:\n  ${sdkInputs.slice(0, 10).join('\n  ')}`);
  process.exit(1);
}
await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src/workmail/sdk.ts')],
  outfile: join(root, 'dist/workmail.js'),
});

// The command-line tool (`workmail-permissions`, package.json `bin`) shares the access layer;
// it is not part of the .vsix.
await esbuild.build({
  ...common,
  external: [],
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(root, 'dist/cli.js'),
});

if (withTests) {
  // The host runner loads every compiled test under out/test, so a test removed or moved to a
  // plain-Node folder must not linger there from an earlier build.
  rmSync(join(root, 'out/test'), { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'test/host/index.ts'), ...hostTestFiles()],
    outbase: join(root, 'test'),
    outdir: join(root, 'out/test'),
    // mocha stays a runtime require so the suite shares one instance with its runner.
    external: ['vscode', 'mocha'],
  });
}

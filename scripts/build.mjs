// Bundles the extension (and, with --tests, the extension-host test suite) with esbuild.
// Type-checking is separate: `npm run typecheck` (tsc --noEmit).
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync, watch as watchFiles, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

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
  // Metafile inputs are named relative to the repository wherever the build is started from.
  absWorkingDir: root,
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

// Three bundles. dist/extension.js is what activation loads and must stay free of the AWS SDK.
// dist/deferred.js holds the commands the first view does not need (src/commands/deferred.ts),
// loaded on first use: they are three quarters of the code, and compiling them at activation cost more
// than the rest of activation. dist/workmail.js holds the SDK-backed access layer and is loaded on
// the first WorkMail call (src/workmailLoader.ts); loading the SDK up front cost most of activation.
const EXTENSION_ENTRY = join(root, 'src/extension.ts');
const DEFERRED_ENTRY = join(root, 'src/commands/deferred.ts');
/** The export of dist/extension.js through which dist/deferred.js reaches the modules they share. */
const SHARED_MODULES = 'sharedModules';
/** The generated entry of dist/extension.js: src/extension.ts and that export. */
const SHARED_ENTRY_NAME = 'extension-with-shared-modules.js';

/** In dist/extension.js, src/extension.ts's require('./commands/deferred') is the other bundle. */
const deferredIsItsOwnBundle = {
  name: 'deferred-is-its-own-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/deferred$/ }, (args) => (args.importer === EXTENSION_ENTRY ? { path: './deferred.js', external: true } : undefined));
  },
};

/**
 * In dist/deferred.js, every module dist/extension.js already holds is taken from it (its
 * `sharedModules` export) instead of being bundled again: one MailboxNode class for `instanceof`,
 * one session, one command pipeline. Records which modules it took in `taken`.
 */
function takenFromExtensionBundle(extensionInputs, taken) {
  return {
    name: 'taken-from-extension-bundle',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.namespace !== 'file' || args.pluginData?.resolving) return undefined;
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return undefined;
        // Spelled as esbuild names its metafile inputs: relative to the repository, with slashes.
        const key = relative(root, resolved.path).split(sep).join('/');
        if (!extensionInputs.has(key)) return undefined;
        taken.add(key);
        return { path: key, namespace: 'extension-bundle' };
      });
      build.onLoad({ filter: /.*/, namespace: 'extension-bundle' }, (args) => ({
        contents: `module.exports = require("./extension.js").${SHARED_MODULES}[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

function refuseSdk(bundle, metafile) {
  const sdkInputs = Object.keys(metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(input));
  if (sdkInputs.length > 0) {
    throw new Error(`${bundle} must not contain the AWS SDK (import it as a type, load it through src/workmailLoader.ts); found:\n  ${sdkInputs.slice(0, 10).join('\n  ')}`);
  }
}

const fileInputs = (metafile) => new Set(Object.keys(metafile.inputs).filter((input) => !input.includes(':')));

async function buildExtensionBundles() {
  const extensionOptions = { ...common, external: ['vscode', './workmail.js'], plugins: [requireVscodeOnce, deferredIsItsOwnBundle], metafile: true };
  // What dist/extension.js holds without the deferred commands.
  const first = await esbuild.build({ ...extensionOptions, entryPoints: [EXTENSION_ENTRY], write: false });
  const extensionInputs = fileInputs(first.metafile);
  const taken = new Set();
  // Both bundles are written only once every check has passed: a new dist/deferred.js beside an old
  // dist/extension.js would look for shared modules the old one does not export.
  const deferred = await esbuild.build({
    ...common,
    external: ['vscode', './workmail.js', './extension.js'],
    plugins: [requireVscodeOnce, takenFromExtensionBundle(extensionInputs, taken)],
    entryPoints: [DEFERRED_ENTRY],
    outfile: join(root, 'dist/deferred.js'),
    metafile: true,
    write: false,
  });
  refuseSdk('dist/deferred.js', deferred.metafile);
  const copies = [...fileInputs(deferred.metafile)].filter((input) => extensionInputs.has(input));
  if (copies.length > 0) {
    throw new Error(`dist/deferred.js would hold its own copy of modules dist/extension.js holds (two MailboxNode classes, two caches):\n  ${copies.join('\n  ')}`);
  }
  // dist/extension.js again, exporting the modules dist/deferred.js takes from it. __esModule marks
  // each as a module namespace, so the deferred bundle's default and named imports read it as such
  // (a CommonJS module that sets it already keeps its own, which cannot be redefined).
  const keys = [...taken].sort();
  const entry = [
    `export * from ${JSON.stringify(EXTENSION_ENTRY)};`,
    ...keys.map((key, i) => `import * as m${i} from ${JSON.stringify(join(root, key))};`),
    `const shared = (namespace) => (Object.prototype.hasOwnProperty.call(namespace, '__esModule') ? namespace : Object.defineProperty(namespace, '__esModule', { value: true }));`,
    `export const ${SHARED_MODULES} = {`,
    ...keys.map((key, i) => `  ${JSON.stringify(key)}: shared(m${i}),`),
    `};`,
  ].join('\n');
  const extension = await esbuild.build({
    ...extensionOptions,
    stdin: { contents: entry, resolveDir: root, sourcefile: SHARED_ENTRY_NAME, loader: 'js' },
    outfile: join(root, 'dist/extension.js'),
    write: false,
  });
  refuseSdk('dist/extension.js', extension.metafile);
  for (const file of [...extension.outputFiles, ...deferred.outputFiles]) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
}

const sdkOptions = { ...common, entryPoints: [join(root, 'src/workmail/sdk.ts')], outfile: join(root, 'dist/workmail.js') };

if (watch) {
  // The lines the task's problem matcher waits for (.vscode/tasks.json). The two extension bundles
  // are built in three steps (buildExtensionBundles), so they are rebuilt whole on every change to
  // src/; the SDK bundle, slow to build and seldom changed, by esbuild's incremental watch.
  const sdk = await esbuild.context(sdkOptions);
  await sdk.watch();
  let running = false;
  let again = false;
  let timer;
  const rebuild = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    console.log('[watch] build started');
    try {
      await buildExtensionBundles();
    } catch (error) {
      // esbuild prints its own errors ("✘ [ERROR] …"); the checks above throw plain ones.
      if (!error?.errors) console.log(`✘ [ERROR] ${error instanceof Error ? error.message : String(error)}`);
    }
    console.log('[watch] build finished');
    running = false;
    if (again) {
      again = false;
      void rebuild();
    }
  };
  await rebuild();
  watchFiles(join(root, 'src'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 100);
  });
  // Runs until the task is stopped.
  await new Promise(() => {});
}

try {
  await buildExtensionBundles();
} catch (error) {
  // esbuild has printed its own errors already.
  if (!error?.errors) console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
await esbuild.build(sdkOptions);

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

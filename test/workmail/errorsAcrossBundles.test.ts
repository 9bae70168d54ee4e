// The extension ships the access layer in two bundles (extension.js, and workmail.js with the AWS
// SDK), so an error thrown by one copy of errors.ts is caught by code compiled against the other.
// This builds two independent copies of the module and checks they recognise each other's errors.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

type ErrorsModule = typeof import('../../src/workmail/errors');

function separateCopy(dir: string, name: string): ErrorsModule {
  const outfile = join(dir, `${name}.js`);
  buildSync({ entryPoints: [join(__dirname, '../../src/workmail/errors.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle built at run time
  return require(outfile) as ErrorsModule;
}

describe('errors across bundles', () => {
  let dir: string;
  let writerSide: ErrorsModule;
  let commandSide: ErrorsModule;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'errors-bundles-'));
    writerSide = separateCopy(dir, 'workmail');
    commandSide = separateCopy(dir, 'extension');
    assert.notEqual(writerSide.WorkMailError, commandSide.WorkMailError, 'two distinct class objects');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('recognises a concurrent change thrown by the other copy, and its base class', () => {
    const thrown = new writerSide.ConcurrentChangeError('Tara on Alice', ['FULL_ACCESS'], ['SEND_AS']);
    assert.ok(thrown instanceof commandSide.ConcurrentChangeError);
    assert.ok(thrown instanceof commandSide.WorkMailError);
    assert.ok(!(thrown instanceof commandSide.CancelledError));
    assert.ok(thrown instanceof Error);
  });

  it('keeps WorkMail errors and cancellations from the other copy as they are', () => {
    const failure = new writerSide.WorkMailError('EntityStateException', 'Tara is disabled');
    assert.equal(commandSide.toWorkMailError(failure), failure, 'not wrapped into a generic error');
    assert.ok(!(failure instanceof commandSide.ConcurrentChangeError), 'a base-class error is not a subclass');
    assert.ok(commandSide.isCancellation(new writerSide.CancelledError()));
    assert.ok(!commandSide.isCancellation(failure));
  });

  it('does not mistake an unrelated error for a WorkMail error', () => {
    assert.ok(!(new Error('boom') instanceof commandSide.WorkMailError));
    assert.ok(!((null as unknown as object) instanceof commandSide.CancelledError));
    assert.ok(!({ name: 'CancelledError', message: 'forged' } instanceof commandSide.CancelledError), 'a look-alike without the brand');
  });
});

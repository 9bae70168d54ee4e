// Output files are written, not replaced: through a link to its target, keeping the mode, and a
// FIFO or a device as it is (src/workmail/files.ts). Every case works in a folder of its own;
// nothing here touches the machine's own /dev/null.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { outputTarget, writeFileWhole } from '../../src/workmail/files';

async function writeText(file: string, text: string): Promise<void> {
  await writeFileWhole(file, async (out) => {
    out.write(text);
  });
}

/** The folder's entries other than those named: a temporary file left behind shows here. */
function others(dir: string, ...known: string[]): string[] {
  return fs.readdirSync(dir).filter((name) => !known.includes(name));
}

describe('writeFileWhole: output files are written, never replaced', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workmail-files-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a new file with the usual mode (0666 less the umask)', async () => {
    const file = path.join(dir, 'new.csv');
    await writeText(file, 'a,b\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n');
    const umask = process.umask();
    assert.equal(fs.statSync(file).mode & 0o777, 0o666 & ~umask);
    assert.deepEqual(others(dir, 'new.csv'), []);
  });

  it('keeps the mode of a file it rewrites (a file kept at 0600 stays 0600)', async () => {
    const file = path.join(dir, 'secret.csv');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o600);
    await writeText(file, 'new\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.equal(fs.statSync(file).mode & 0o7777, 0o600);
  });

  it('writes through a symbolic link to its target, and the link stays a link', async () => {
    const target = path.join(dir, 'target.csv');
    fs.writeFileSync(target, 'old\n');
    fs.chmodSync(target, 0o640);
    const link = path.join(dir, 'link.csv');
    fs.symlinkSync('target.csv', link);
    await writeText(link, 'new\n');
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(fs.readlinkSync(link), 'target.csv');
    assert.equal(fs.readFileSync(target, 'utf8'), 'new\n');
    assert.equal(fs.statSync(target).mode & 0o777, 0o640);
  });

  it('follows a chain of links across folders, and a dangling link creates the file it names', async () => {
    fs.mkdirSync(path.join(dir, 'real'));
    const target = path.join(dir, 'real', 'out.csv');
    fs.writeFileSync(target, 'old\n');
    fs.symlinkSync(path.join('real', 'out.csv'), path.join(dir, 'one'));
    fs.symlinkSync('one', path.join(dir, 'two'));
    await writeText(path.join(dir, 'two'), 'chained\n');
    assert.equal(fs.readFileSync(target, 'utf8'), 'chained\n');
    assert.ok(fs.lstatSync(path.join(dir, 'two')).isSymbolicLink());
    assert.deepEqual(others(path.join(dir, 'real'), 'out.csv'), [], 'the temporary file belongs beside the real target and is gone');

    fs.symlinkSync('later.csv', path.join(dir, 'dangling'));
    await writeText(path.join(dir, 'dangling'), 'created\n');
    assert.ok(fs.lstatSync(path.join(dir, 'dangling')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'later.csv'), 'utf8'), 'created\n');
  });

  it('refuses a loop of links with a message naming the file, and writes nothing', async () => {
    fs.symlinkSync('b', path.join(dir, 'a'));
    fs.symlinkSync('a', path.join(dir, 'b'));
    await assert.rejects(writeText(path.join(dir, 'a'), 'x'), (err: Error) => err.message.includes(path.join(dir, 'a')) && /ELOOP/.test(err.message));
    assert.deepEqual(others(dir, 'a', 'b'), []);
  });

  it('writes into a FIFO another program reads, and leaves the FIFO in place', async function () {
    if (process.platform === 'win32') {
      this.skip(); // Windows has no mkfifo.
    }
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const ended = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    try {
      await writeText(fifo, 'through the pipe\n');
      assert.ok(fs.lstatSync(fifo).isFIFO(), 'the FIFO was replaced by a regular file');
      await ended;
    } finally {
      reader.kill();
    }
    assert.equal(read, 'through the pipe\n');
    assert.deepEqual(others(dir, 'pipe.csv'), []);
  });

  it('writes into a character device as it is (a null device made in the test folder)', async function () {
    const device = path.join(dir, 'null');
    try {
      execFileSync('mknod', [device, 'c', '1', '3'], { stdio: 'ignore' });
    } catch {
      // Making a device needs root with CAP_MKNOD (and Linux's major/minor numbers for null).
      this.skip();
    }
    const before = fs.lstatSync(device);
    assert.ok(before.isCharacterDevice());
    await writeText(device, 'discarded\n');
    const after = fs.lstatSync(device);
    assert.ok(after.isCharacterDevice(), 'the device was replaced by a regular file');
    assert.equal(after.rdev, before.rdev);
    assert.equal(after.ino, before.ino, 'the device node was replaced');
    assert.deepEqual(others(dir, 'null'), []);
  });

  it('a failure half-way leaves the real target as it was, behind a link too, and no temporary file', async () => {
    const target = path.join(dir, 'good.csv');
    fs.writeFileSync(target, 'complete\n');
    fs.symlinkSync('good.csv', path.join(dir, 'link'));
    for (const name of ['good.csv', 'link']) {
      await assert.rejects(
        writeFileWhole(path.join(dir, name), async (out) => {
          out.write('half');
          throw new Error('the scan failed');
        }),
        /the scan failed/,
      );
      assert.equal(fs.readFileSync(target, 'utf8'), 'complete\n');
      assert.ok(fs.lstatSync(path.join(dir, 'link')).isSymbolicLink());
      assert.deepEqual(others(dir, 'good.csv', 'link'), []);
    }
  });

  it('refuses a folder, naming it, and changes nothing', async () => {
    fs.mkdirSync(path.join(dir, 'folder'));
    await assert.rejects(writeText(path.join(dir, 'folder'), 'x'), /EISDIR/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'folder')), []);
  });

  it('outputTarget says what is there behind the links', async () => {
    fs.writeFileSync(path.join(dir, 'f'), '');
    fs.symlinkSync('f', path.join(dir, 'l'));
    assert.equal((await outputTarget(path.join(dir, 'l'))).kind, 'regular');
    assert.equal((await outputTarget(path.join(dir, 'l'))).path, path.join(dir, 'f'));
    assert.equal((await outputTarget(path.join(dir, 'missing'))).kind, 'new');
  });
});

#!/usr/bin/env node
// Entry point of the `workmail-permissions` command (bundled to dist/cli.js). Everything else is
// in cli.ts so tests can run commands in-process; this file owns the process: signals, exit code.
import { runCli } from './cli';

// The SDK warns on every run that future versions need a newer Node; in a command whose stderr
// people read (and scripts capture) that is noise, and it says nothing about this run.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.startsWith('NodeVersionSupportWarning')) {
    return;
  }
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // The first Ctrl+C stops the scan cleanly; a second one leaves at once.
  if (++interrupts > 1) {
    process.exit(130);
  }
  controller.abort();
});

/** A question on the terminal, only when a person is there to answer it. */
const ask = process.stdin.isTTY
  ? async (question: string): Promise<string> => {
      const readline = await import('node:readline/promises');
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    }
  : undefined;

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, ask }).then((code) => {
  // exitCode, not exit(): stdout may still be flushing a large export to a pipe.
  process.exitCode = code;
});

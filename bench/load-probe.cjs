// Times `require` of the extension bundle in a fresh plain Node process, with `vscode` replaced by
// an inert stand-in: how much of activation is only evaluating the bundle's modules (the AWS SDK
// above all). Prints {"loadMs": N}. Used by bench/run.ts as a breakdown of activateMs.
'use strict';
require('./inert-vscode.cjs');

const started = performance.now();
require(process.argv[2]);
process.stdout.write(`${JSON.stringify({ loadMs: performance.now() - started })}\n`);

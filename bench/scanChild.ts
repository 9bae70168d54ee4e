// The full-organization scan, alone in its own process so its peak memory is its own: started by
// bench/run.ts with `tsx bench/scanChild.ts`, input as JSON in WORKMAIL_BENCH_SCAN (kept out of the
// command line because it holds the emulator's access key), result as one line on stdout.
// Records are kept, as the extension keeps a finished scan (collectScan / ScanCache).
import { performance } from 'node:perf_hooks';
import { collectScan } from '../src/workmail/scan';
import { WorkMailSession } from '../src/workmail/session';
import { SCAN_RESULT_PREFIX, type ScanChildInput, type ScanChildResult } from './protocol';

async function main(): Promise<void> {
  const input = JSON.parse(process.env.WORKMAIL_BENCH_SCAN ?? '{}') as ScanChildInput;
  delete process.env.WORKMAIL_BENCH_SCAN;
  let sampledPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
  }, 250);

  const outcomes: Record<string, number> = {};
  let sdkCalls = 0;
  const session = new WorkMailSession({
    endpoint: input.endpoint,
    credentials: async () => ({ accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }),
    onCall: (record) => {
      sdkCalls++;
      outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
    },
  });

  let lastReport = performance.now();
  const started = performance.now();
  let directoryMs: number | undefined;
  let concurrency: ScanChildResult['concurrency'];
  const snapshot = await collectScan(session, { region: input.region, organizationId: input.organizationId }, {
    onDirectory: () => (directoryMs = performance.now() - started),
    onConcurrency: (stats) => (concurrency = { ...stats }),
    onProgress: (progress) => {
      const now = performance.now();
      if (now - lastReport < 30_000) return;
      lastReport = now;
      process.stderr.write(
        `[scan] ${progress.mailboxesDone}/${progress.mailboxesTotal ?? '?'} mailboxes, ${progress.grants} grants, ${progress.failures} failures, ${Math.round((now - started) / 1000)} s\n`,
      );
    },
  });
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());

  const failureCodes: Record<string, number> = {};
  for (const failure of snapshot.failures) failureCodes[failure.error.code] = (failureCodes[failure.error.code] ?? 0) + 1;
  const result: ScanChildResult = {
    durationMs,
    mailboxes: snapshot.directory.users.length + snapshot.directory.groups.length + snapshot.directory.resources.length,
    grants: snapshot.grants.length,
    failures: snapshot.failures.length,
    failureCodes,
    sdkCalls,
    sdkCallOutcomes: outcomes,
    // Linux reports maxRSS in kilobytes.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    sampledPeakRssBytes: sampledPeak,
    heapUsedBytesAtEnd: process.memoryUsage().heapUsed,
    directoryMs,
    concurrency,
  };
  session.dispose();
  process.stdout.write(`${SCAN_RESULT_PREFIX} ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[scan] ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

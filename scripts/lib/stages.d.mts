// Types for stages.mjs, for the tests in test/scripts.
export type StageKind = 'tsc' | 'lint' | 'mocha' | 'host' | 'ui';
export function stageCounts(kind: StageKind, output: string, exitCode: number): { passed: number; failed: number; note?: string };
export function formatSummaryTable(rows: Array<{ name: string; passed: number; failed: number; seconds: number; note?: string }>): string;

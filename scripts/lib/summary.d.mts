// Types for summary.mjs, for the tests in test/scripts.
export interface Counts {
  passed: number;
  failed: number;
}
export function parseHostSummary(text: string): Counts | undefined;
export function parseUiSummary(text: string): Counts | undefined;
export function parseFinalLine(text: string): Counts | undefined;
export function parseMochaEpilogue(text: string): (Counts & { pending: number }) | undefined;
export function stripAnsi(text: string): string;
export function formatAutomationLog(args: unknown): string;
export function isWorkbenchNoise(line: string): boolean;

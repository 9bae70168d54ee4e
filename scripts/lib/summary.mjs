// Reading test results out of text: the host suite's summary line, mocha's spec epilogue,
// the UI runner's line, and the extension host's console messages as the workbench forwards them.
import { format } from 'node:util';

/** `HOST-TESTS: 12 passed, 0 failed` (printed by test/host/index.ts); the last one wins. */
export function parseHostSummary(text) {
  return lastCounts(text, /^\s*HOST-TESTS:\s*(\d+) passed, (\d+) failed\s*$/gm);
}

/** `UI-TESTS: 3 passed, 0 failed` (printed by scripts/run-ui-tests.mjs). */
export function parseUiSummary(text) {
  return lastCounts(text, /^\s*UI-TESTS:\s*(\d+) passed, (\d+) failed\s*$/gm);
}

/** The final `N passed, N failed` line of `npm test`. */
export function parseFinalLine(text) {
  return lastCounts(text, /^(\d+) passed, (\d+) failed$/gm);
}

function lastCounts(text, pattern) {
  let result;
  for (const match of text.matchAll(pattern)) result = { passed: Number(match[1]), failed: Number(match[2]) };
  return result;
}

/**
 * mocha's spec/list reporter epilogue: `  12 passing (3s)`, `  1 pending`, `  2 failing`.
 * Returns undefined when no epilogue is present (mocha crashed before reporting).
 * Pending tests are reported separately: this project allows none, so the caller counts them as failures.
 */
export function parseMochaEpilogue(text) {
  const clean = stripAnsi(text);
  const passing = [...clean.matchAll(/^\s*(\d+) passing\b/gm)].at(-1);
  if (!passing) return undefined;
  // Only numbers after the last "passing" line belong to the same run.
  const tail = clean.slice(passing.index);
  const failing = tail.match(/^\s*(\d+) failing\b/m);
  const pending = tail.match(/^\s*(\d+) pending\b/m);
  return { passed: Number(passing[1]), failed: failing ? Number(failing[1]) : 0, pending: pending ? Number(pending[1]) : 0 };
}

export function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/**
 * Turns the arguments of one forwarded console call into a line of text, the way Node's console
 * would have printed them (mocha's reporter passes printf-style `%s`/`%d` templates). The workbench
 * may add a `%c` devtools style, which has no meaning in a terminal.
 */
export function formatAutomationLog(args) {
  const parts = Array.isArray(args) ? [...args] : [args];
  if (typeof parts[0] === 'string' && parts[0].includes('%c')) {
    const styles = (parts[0].match(/%c/g) ?? []).length;
    parts[0] = parts[0].replace(/%c/g, '');
    parts.splice(1, styles);
  }
  return format(...parts.map((part) => (part !== null && typeof part === 'object' ? safeJson(part) : part))).replace(/^\s*\[Extension Host\]\s?/, '');
}

/** Messages of the workbench itself that are expected on an offline machine and say nothing about the tests. */
const WORKBENCH_NOISE = [
  /open-vsx\.org/,
  /^Creating a socket \(/,
  /^Resolv(ing|ed) connection token/,
  /^\[Service Worker\]/,
  /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
];

export function isWorkbenchNoise(line) {
  return WORKBENCH_NOISE.some((pattern) => pattern.test(line));
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

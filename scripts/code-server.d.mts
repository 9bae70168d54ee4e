// Types for code-server.mjs, for the TypeScript UI tests.
export const CODE_SERVER_VERSION: string;
export function codeServerDir(): string;
export function isCodeServerInstalled(dir?: string): boolean;
export function ensureCodeServer(options?: { log?: (line: string) => void }): string;

// Runs the command line as a shell would (`npx tsx src/cli/main.ts ...`), with the fixture AWS
// profiles and nothing of this machine's AWS setup.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const AWS_DIR = path.join(ROOT, 'test', 'fixtures', 'aws');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true', ...extraEnv };
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

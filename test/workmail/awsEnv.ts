// Test helper: a throwaway AWS configuration (config, credentials, HOME) in a temp dir, with every
// AWS_* variable the SDK reads saved and restored, so tests never see the machine's real setup.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MANAGED = [
  'HOME', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_REGION',
  'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
  'AWS_EC2_METADATA_DISABLED', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

export class AwsEnv {
  readonly dir = mkdtempSync(join(tmpdir(), 'workmail-aws-'));
  readonly configFile = join(this.dir, 'config');
  readonly credentialsFile = join(this.dir, 'credentials');
  private readonly saved = new Map<string, string | undefined>();

  constructor(config: string, credentials: string) {
    for (const name of MANAGED) {
      this.saved.set(name, process.env[name]);
      delete process.env[name];
    }
    this.write(config, credentials);
    process.env.HOME = this.dir;
    process.env.AWS_CONFIG_FILE = this.configFile;
    process.env.AWS_SHARED_CREDENTIALS_FILE = this.credentialsFile;
    // No instance metadata here: a chain that falls through must fail at once, not probe the network.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  }

  write(config: string, credentials: string): void {
    writeFileSync(this.configFile, config);
    writeFileSync(this.credentialsFile, credentials);
  }

  restore(): void {
    for (const [name, value] of this.saved) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

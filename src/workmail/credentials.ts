// AWS profiles and credentials, resolved the way the AWS CLI does, so whatever works in a
// terminal (static keys, SSO, assume-role, credential_process) works here too.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

// Non-profile sections of the config file keep their type prefix after parsing.
const NON_PROFILE_SECTION = /^(sso-session|services)\./;

/** Profile names from the shared config and credentials files, read fresh on every call. */
export async function listProfiles(): Promise<string[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set<string>();
  for (const name of Object.keys(configFile)) {
    if (!NON_PROFILE_SECTION.test(name)) {
      names.add(name);
    }
  }
  for (const name of Object.keys(credentialsFile)) {
    names.add(name);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** The region a profile names in the config file, if any (AWS_REGION wins for the default chain). */
export async function defaultRegionFor(profile?: string): Promise<string | undefined> {
  if (!profile) {
    const fromEnv = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    if (fromEnv) {
      return fromEnv;
    }
  }
  const { configFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const name = profile || process.env.AWS_PROFILE || 'default';
  return configFile[name]?.region;
}

const quietLogger = {
  // The SDK warns on the console when a profile and environment keys are both set; the profile
  // wins either way, and an extension must not write to the console.
  debug: (): void => undefined,
  info: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
};

/**
 * The SDK's own provider chain. With an explicit profile the chain skips environment keys, so a
 * profile chosen in the UI is not silently replaced by AWS_ACCESS_KEY_ID (a test pins this).
 * `ignoreCache` makes a new session see edits to the files made since the last one.
 */
export function credentialProviderFor(profile?: string): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({
    ...(profile ? { profile } : {}),
    ignoreCache: true,
    logger: quietLogger,
  });
}

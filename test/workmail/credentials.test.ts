import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as assert from 'node:assert/strict';
import { credentialProviderFor, defaultRegionFor, listProfiles } from '../../src/workmail/credentials';
import { WorkMailSession } from '../../src/workmail/session';
import { AwsEnv } from './awsEnv';

const CONFIG = `[default]
region = eu-west-1

[profile admin]
region = us-west-2

[profile sso-work]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = WorkMailAdmin
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[services local]
workmail =
  endpoint_url = http://127.0.0.1:1
`;

const CREDENTIALS = `[default]
aws_access_key_id = AKIDDEFAULTPROFILE
aws_secret_access_key = default-profile-secret

[admin]
aws_access_key_id = AKIDADMINPROFILE
aws_secret_access_key = admin-profile-secret

[keys-only]
aws_access_key_id = AKIDKEYSONLY
aws_secret_access_key = keys-only-secret
`;

describe('credentials and profiles', () => {
  let env: AwsEnv;
  beforeEach(() => {
    env = new AwsEnv(CONFIG, CREDENTIALS);
  });
  afterEach(() => env.restore());

  it('lists profiles from both files, sorted and deduplicated, without sso-session or services sections', async () => {
    assert.deepEqual(await listProfiles(), ['admin', 'default', 'keys-only', 'sso-work']);
  });

  it('sees profiles added since the last call', async () => {
    assert.ok(!(await listProfiles()).includes('added-later'));
    env.write(`${CONFIG}\n[profile added-later]\nregion = us-east-1\n`, CREDENTIALS);
    assert.ok((await listProfiles()).includes('added-later'));
  });

  it('lists nothing when neither file exists', async () => {
    env.write('', '');
    process.env.AWS_CONFIG_FILE = `${env.dir}/missing-config`;
    process.env.AWS_SHARED_CREDENTIALS_FILE = `${env.dir}/missing-credentials`;
    assert.deepEqual(await listProfiles(), []);
  });

  it('reads the region a profile names', async () => {
    assert.equal(await defaultRegionFor('admin'), 'us-west-2');
    assert.equal(await defaultRegionFor(), 'eu-west-1');
    assert.equal(await defaultRegionFor('keys-only'), undefined);
  });

  it('resolves static keys of the chosen profile', async () => {
    const identity = await credentialProviderFor('admin')();
    assert.equal(identity.accessKeyId, 'AKIDADMINPROFILE');
  });

  it('uses the default profile when none is chosen', async () => {
    const identity = await credentialProviderFor(undefined)();
    assert.equal(identity.accessKeyId, 'AKIDDEFAULTPROFILE');
  });

  it('follows AWS_PROFILE when none is chosen', async () => {
    process.env.AWS_PROFILE = 'keys-only';
    assert.equal((await credentialProviderFor('')()).accessKeyId, 'AKIDKEYSONLY');
  });

  it('an explicitly chosen profile beats environment keys and AWS_PROFILE', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENVIRONMENT';
    process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret';
    process.env.AWS_PROFILE = 'keys-only';
    const identity = await credentialProviderFor('admin')();
    assert.equal(identity.accessKeyId, 'AKIDADMINPROFILE');
  });

  it('environment keys are used when no profile is chosen', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENVIRONMENT';
    process.env.AWS_SECRET_ACCESS_KEY = 'environment-secret';
    assert.equal((await credentialProviderFor()()).accessKeyId, 'AKIDFROMENVIRONMENT');
  });

  it('an SSO profile without a cached login says to run aws sso login, without falling through to the instance metadata service', async () => {
    // Falling through would ask EC2's metadata service (slow retries off EC2): point it at a
    // listener here and count what reaches it.
    let metadataRequests = 0;
    const metadata = createServer((_req, res) => {
      metadataRequests++;
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    // The endpoint is never reached: the credentials fail first.
    const session = new WorkMailSession({ profile: 'sso-work', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      await assert.rejects(session.listOrganizations('us-east-1'), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'SsoLoginRequired');
        assert.ok(err.message.includes('Run `aws sso login --profile sso-work` and try again'), err.message);
        return true;
      });
    } finally {
      session.dispose();
      if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
      await new Promise((resolve) => metadata.close(resolve));
    }
    assert.equal(metadataRequests, 0, 'the chain must stop at the SSO profile, not fall through to the metadata service');
  });

  it('an unknown profile is reported as such', async () => {
    const session = new WorkMailSession({ profile: 'no-such-profile', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      await assert.rejects(session.listOrganizations('us-east-1'), (err: Error & { code?: string }) => {
        assert.match(err.message, /no-such-profile/);
        assert.notEqual(err.code, 'NetworkError');
        return true;
      });
    } finally {
      session.dispose();
    }
  });
});

// `who-can-open` against the sample organization: every route into a mailbox with its path, the
// applications that reach a mailbox only through someone who can open it, booking delegates of a
// room, and what an access rule denies, as WorkMail evaluates it.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { cli } from './support';

interface Route {
  route: string;
  personName?: string;
  roleName?: string;
  through?: { personName?: string; route: string } | null;
  deniedBy: Array<{ action: string; rules: string[] }>;
}

describe('workmail-permissions who-can-open', function () {
  this.timeout(120_000);
  let emu: Emulator;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--region', 'us-east-1', '--quiet'];

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });

  it('the chief executive: her delegates with their paths, and the archiver reaching her only through them', async () => {
    const result = await cli(['who-can-open', ...connect(), '--entity', 'alice.johnson@acme.example.com', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const routes = (JSON.parse(result.stdout) as { routes: Route[] }).routes;
    const people = routes.filter((r) => r.route === 'permission').map((r) => r.personName);
    assert.ok(people.includes('tara.singh'), 'Tara Singh holds Full access');
    assert.ok(people.includes('bob.martinez'), 'Bob Martinez, directly and through executives');
    const archiver = routes.filter((r) => r.route === 'impersonation' && r.roleName === 'Mail archiver');
    assert.ok(archiver.length > 0, 'the archiver reaches her');
    assert.ok(archiver.every((r) => r.through), 'never as her: its DENY rule names her');
    assert.ok(archiver.some((r) => r.through?.personName === 'tara.singh'), 'through Tara Singh, who has Full access');
    assert.ok(!archiver.some((r) => r.through?.personName === 'william.chen'), 'not through a disabled user');
  });

  it('a room: its booking options in words, delegates (a group expanded) and what they are denied', async () => {
    const result = await cli(['who-can-open', ...connect(), '--entity', 'room-atlas']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ {2}Booking: Accepts automatically/m);
    assert.match(result.stdout, /Tara Singh <[^>]+> \(user\) {2}booking delegate/);
    assert.match(result.stdout, /application "Mail archiver" \(read only\), via impersonating Tara Singh <[^>]+> \(user\), who is a booking delegate/);
    assert.match(result.stdout, /\[denied by access rules: IMAP from [0-9.]+ \(imap-office-only\)\]/);
    assert.match(result.stdout, /booking delegate {2}via executives/);
  });

  it('marks a person an access rule denies on a protocol, with the rule WorkMail names', async () => {
    const result = await cli(['who-can-open', ...connect(), '--entity', 'olivia.brown', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const routes = (JSON.parse(result.stdout) as { routes: Route[] }).routes;
    const denied = routes.filter((r) => r.deniedBy.some((mark) => mark.action === 'IMAP'));
    assert.ok(denied.length > 0, 'IMAP from outside the office network is denied to everyone');
    assert.ok(denied.every((r) => r.deniedBy.find((mark) => mark.action === 'IMAP')!.rules.includes('imap-office-only')));
  });

  it('refuses a mailbox that is not there, naming it, and asks for --entity', async () => {
    const missing = await cli(['who-can-open', ...connect(), '--entity', 'nobody.here']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No user, group or resource "nobody\.here" in acme/);
    const usage = await cli(['who-can-open', ...connect()]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--entity is required/);
  });
});

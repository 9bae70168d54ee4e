// A window in its own process that takes the pair's lock, reads, and is then blocked (another
// extension's synchronous work, a debugger pause, a suspended machine) for longer than the
// stale-lock time before it would write. Used by writeSafety.test.ts to show that it then stops.
// Arguments: emulator URL, pending-writes folder, stall in ms, stale-lock time in ms.
import { writeSync } from 'node:fs';
import { PendingWriteStore } from '../../../src/workmail/pendingWrites';
import { PermissionWriter } from '../../../src/workmail/permissions';
import { WorkMailSession } from '../../../src/workmail/session';
import { ACME, ANA, BOB, DEFAULT_KEYS, staticCredentials } from '../fixture';

const [url, directory, stall, stale] = process.argv.slice(2);
const session = new WorkMailSession({ endpoint: url, credentials: staticCredentials(DEFAULT_KEYS) });
const read = session.listAllGrants.bind(session);
let first = true;
session.listAllGrants = async (...args: Parameters<typeof read>) => {
  const grants = await read(...args);
  if (first) {
    first = false;
    // Synchronous: a console.log to a pipe would only leave once the stall is over.
    writeSync(1, 'read\n');
    const until = Date.now() + Number(stall);
    while (Date.now() < until) {
      // The extension host is blocked.
    }
  }
  return grants;
};
const writer = new PermissionWriter(session, { store: new PendingWriteStore(directory, { staleLockMs: Number(stale) }) });
writer
  .apply({ org: ACME, mailboxId: ANA, mailboxKind: 'user', granteeId: BOB, change: { kind: 'grant', add: ['SEND_AS'] }, expectedBefore: ['FULL_ACCESS'] })
  .then(
    (result) => console.log(`told ${JSON.stringify({ verified: result.verified, after: result.after })}`),
    (err: { code?: string }) => console.log(`refused ${err.code}`),
  )
  .finally(() => session.dispose());

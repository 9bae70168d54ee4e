// Google Workspace's exports from GAM (GAM7's printShowDelegates and printShowSendAs write these
// columns; extra ones, such as delegateName from `shownames` or signature, are ignored):
//   gam all users print delegates  User, delegateAddress, delegationStatus              -> delegate
//   gam all users print sendas     User, displayName, sendAsEmail, replyToAddress,
//                                  isPrimary, isDefault, treatAsAlias, verificationStatus -> sendas
//   gam print resources … acls     resourceEmail (or calendarId from `gam calendars … print acls`),
//                                  role, scope.type, scope.value, one row per ACL, or numbered
//                                  acls.N.role … columns on one row                     -> calendarOwner
// An owner ACL of a user or group on a resource calendar is a booking delegate; the calendar's own
// address as its owner, and domain or default scopes, are not delegations.
// A send-as address belongs to the grantee's account (User) and names the owner (sendAsEmail); the
// account's own primary address is not a delegation. A status other than "accepted" is present but
// not in force: reported as missing, with the status.
import { ADDRESS, VerifyInputError, normalAddress, readCsv, truthy, type CsvRow, type CsvTable } from './csv';
import { emptyObservation, markRead, type Observation } from './observation';

/** The column prefixes of the ACLs in a table: '' for one ACL a row, 'acls.0.' … for numbered ones. */
function aclPrefixes(table: CsvTable): string[] {
  return table.header.filter((name) => /^(acls\.\d+\.)?scope\.value$/.test(name)).map((name) => name.slice(0, name.length - 'scope.value'.length));
}

function addresses(table: CsvTable, row: CsvRow, column: string, observation: Observation): string[] {
  const cell = row.get(column) ?? '';
  const values = cell.split(/[\s,;]+/).filter(Boolean);
  const good: string[] = [];
  for (const value of values) {
    if (ADDRESS.test(value)) good.push(normalAddress(value));
    else observation.unresolved.push({ file: table.file, line: row.line, column: row.columnOf(column), value, reason: 'not an email address' });
  }
  return good;
}

export function readGoogleExports(inputs: ReadonlyArray<{ file: string; text: string }>): Observation {
  const observation = emptyObservation();
  for (const { file, text } of inputs) {
    const table = readCsv(file, text);
    const has = (name: string): boolean => table.header.includes(name);
    if (has('user') && has('delegateaddress')) {
      observation.covered.add('delegate');
      observation.files.push({ file, kind: 'gam print delegates', rows: table.rows.length });
      for (const row of table.rows) {
        const owners = addresses(table, row, 'user', observation);
        const status = (row.get('delegationstatus') ?? '').trim();
        for (const owner of owners) {
          for (const delegate of addresses(table, row, 'delegateaddress', observation)) {
            observation.delegations.push({
              mailbox: owner,
              grantee: delegate,
              right: 'delegate',
              ...(status && status.toLowerCase() !== 'accepted' ? { pending: `delegationStatus ${status}` } : {}),
              file,
              line: row.line,
            });
          }
        }
      }
    } else if (has('user') && has('sendasemail')) {
      observation.covered.add('sendas');
      observation.files.push({ file, kind: 'gam print sendas', rows: table.rows.length });
      for (const row of table.rows) {
        if (truthy(row.get('isprimary'))) continue;
        const status = (row.get('verificationstatus') ?? '').trim();
        for (const account of addresses(table, row, 'user', observation)) {
          for (const owner of addresses(table, row, 'sendasemail', observation)) {
            if (owner === account) continue;
            observation.delegations.push({
              mailbox: owner,
              grantee: account,
              right: 'sendas',
              ...(status && status.toLowerCase() !== 'accepted' ? { pending: `verificationStatus ${status}: the owner has not confirmed the address yet` } : {}),
              file,
              line: row.line,
            });
          }
        }
      }
    } else if (aclPrefixes(table).length > 0 && (has('resourceemail') || has('calendarid') || has('calendar'))) {
      observation.covered.add('calendarOwner');
      observation.files.push({ file, kind: 'gam print resources acls', rows: table.rows.length });
      const resourceColumn = has('resourceemail') ? 'resourceemail' : has('calendarid') ? 'calendarid' : 'calendar';
      for (const row of table.rows) {
        for (const resource of addresses(table, row, resourceColumn, observation)) {
          markRead(observation, 'calendarOwner', resource);
          for (const prefix of aclPrefixes(table)) {
            const role = (row.get(`${prefix}role`) ?? '').trim().toLowerCase();
            const type = (row.get(`${prefix}scope.type`) ?? '').trim().toLowerCase();
            if (role !== 'owner' || (type !== 'user' && type !== 'group')) continue;
            for (const owner of addresses(table, row, `${prefix}scope.value`, observation)) {
              if (owner === resource) continue;
              observation.delegations.push({ mailbox: resource, grantee: owner, right: 'calendarOwner', file, line: row.line });
            }
          }
        }
      }
    } else {
      throw new VerifyInputError(
        file,
        1,
        undefined,
        `its columns (${table.header.join(', ')}) match no GAM export verify reads: gam all users print delegates (User, delegateAddress, delegationStatus), gam all users print sendas (User, sendAsEmail, verificationStatus) or gam print resources … acls (resourceEmail, role, scope.type, scope.value).`,
      );
    }
  }
  return observation;
}

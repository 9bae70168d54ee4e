// Google Workspace's exports from GAM (GAM7's printShowDelegates and printShowSendAs write these
// columns; extra ones, such as delegateName from `shownames` or signature, are ignored):
//   gam all users print delegates  User, delegateAddress, delegationStatus              -> delegate
//   gam all users print sendas     User, displayName, sendAsEmail, replyToAddress,
//                                  isPrimary, isDefault, treatAsAlias, verificationStatus -> sendas
// A send-as address belongs to the grantee's account (User) and names the owner (sendAsEmail); the
// account's own primary address is not a delegation. A status other than "accepted" is present but
// not in force: reported as missing, with the status.
import { ADDRESS, VerifyInputError, normalAddress, readCsv, truthy, type CsvRow, type CsvTable } from './csv';
import { emptyObservation, type Observation } from './observation';

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
    } else {
      throw new VerifyInputError(
        file,
        1,
        undefined,
        `its columns (${table.header.join(', ')}) match neither GAM export verify reads: gam all users print delegates (User, delegateAddress, delegationStatus) or gam all users print sendas (User, sendAsEmail, verificationStatus).`,
      );
    }
  }
  return observation;
}

// Zoho Mail has no export of delegations; the CSV checklist comes back instead, with its `done`
// column ticked (yes, x, true, 1, done, ✓) for every line the administrator carried out. That is the
// administrator's word, not Zoho's, and the report says so.
import { ALIAS } from '../destinations/aliasesPlan';
import { ACCESS_RULE, IMPERSONATION_ROLE } from '../destinations/applicationsPlan';
import { unguard } from '../csv';
import { VerifyInputError, normalAddress, readCsv, truthy } from './csv';
import { emptyObservation, type Observation } from './observation';

export function readZohoExports(inputs: ReadonlyArray<{ file: string; text: string }>): Observation {
  const observation = emptyObservation();
  observation.notes.push('Zoho Mail has no export of delegations: "arrived" means the administrator ticked the line in the checklist, not that Zoho was read.');
  for (const { file, text } of inputs) {
    const table = readCsv(file, text);
    for (const column of ['done', 'mailbox', 'delegate', 'workmail_right']) {
      if (!table.header.includes(column)) {
        throw new VerifyInputError(file, 1, undefined, `no "${column}" column: give the CSV checklist written by migration-script --target zoho --format csv, with "done" ticked.`);
      }
    }
    observation.files.push({ file, kind: 'Zoho Mail checklist (CSV)', rows: table.rows.length });
    for (const right of ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF', 'BOOKING_DELEGATE']) observation.covered.add(right);
    for (const row of table.rows) {
      if (!truthy(row.get('done'))) continue;
      const right = (row.get('workmail_right') ?? '').trim().toUpperCase();
      // The aliases', applications' and access rules' lines are steps at the destination, not delegations to verify.
      if (right === ALIAS || right === IMPERSONATION_ROLE || right === ACCESS_RULE) continue;
      observation.delegations.push({
        // Written formula-guarded: an address that starts with - or + carries a leading apostrophe.
        mailbox: normalAddress(unguard(row.get('mailbox') ?? '')),
        grantee: normalAddress(unguard(row.get('delegate') ?? '')),
        right,
        file,
        line: row.line,
      });
    }
  }
  return observation;
}

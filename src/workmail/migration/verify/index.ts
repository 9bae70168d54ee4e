// Verification after cutover: plan again from the same snapshot, mapping and options as the script
// (so what is expected is exactly what the script carried), read the destination's own exports, and
// sort every delegation (and each booking option Exchange's script sets) into arrived, missing, not checked (the exports do not cover it) or extra
// (at the destination on a migrated mailbox, not in the plan); with it, everything the script could
// not carry (not mappable, not carried, mailboxes WorkMail could not read), so the report is the
// whole story of the snapshot.
//
// Exit code for the command line: 4 when anything is missing; otherwise 3 when the input is partial
// (a right or mailbox the exports do not cover, a value that could not be resolved, a mailbox the
// snapshot could not read); 0 when everything arrived.
import { BOOKING_DELEGATE, bookingDelegations, planDestination, type DestinationOptions, type DestinationPlan, type DestinationTarget } from '../destinations';
import type { AddressMapping, Snapshot } from '../schema';
import { exchangeSettingItems, readExchangeExports } from './exchange';
import { readGoogleExports } from './google';
import { readGrommunioExports } from './grommunio';
import { normalAddress } from './csv';
import type { Observation } from './observation';
import { VERIFY_EXIT, type VerificationResult, type VerifyCounts, type VerifyItem, type VerifyStatus } from './result';
import { readZohoExports } from './zoho';

export { VerifyInputError, decodeText } from './csv';
export type { Observation, Observed, Unresolved, ExportSummary } from './observation';

export { VERIFY_EXIT, type VerificationResult, type VerifyCounts, type VerifyItem, type VerifyStatus } from './result';

export function readExports(target: DestinationTarget, inputs: ReadonlyArray<{ file: string; text: string }>): Observation {
  switch (target) {
    case 'exchange':
      return readExchangeExports(inputs);
    case 'google':
      return readGoogleExports(inputs);
    case 'grommunio':
      return readGrommunioExports(inputs);
    case 'zoho':
      return readZohoExports(inputs);
  }
}

/**
 * An export may name a mailbox or a grantee by one of its aliases (a person typing a checklist, a
 * destination listing a delegate by the address it was given). Each alias the mapping gives an
 * entity at the destination (with addresses unchanged: the aliases the snapshot recorded) is read
 * as the entity's own address, so such a row is the delegation it is, not one missing and one extra.
 */
function withAliasesResolved(observation: Observation, snapshot: Snapshot, mapping: AddressMapping): Observation {
  const primaryOf = new Map<string, string>();
  for (const entity of snapshot.entities) {
    const primary = mapping.destinationOf(entity)?.trim();
    if (!primary) {
      continue;
    }
    const aliases = mapping.aliasesOf ? mapping.aliasesOf(entity).map((row) => row.destination) : (entity.aliases ?? []);
    for (const alias of aliases) {
      primaryOf.set(normalAddress(alias), observation.canonical(primary));
    }
  }
  if (primaryOf.size === 0) {
    return observation;
  }
  // What the destination's own exports resolve (Exchange's recipients: every address of each
  // recipient) is taken as it says: an alias it knows as someone else's address stays theirs, so
  // a delegation of theirs is never read as ours. Only an address the exports do not resolve is
  // looked up among our aliases.
  const canonical = (address: string): string => {
    const known = observation.canonical(address);
    return known === normalAddress(address) ? (primaryOf.get(known) ?? known) : known;
  };
  return {
    ...observation,
    readMailboxes: new Map([...observation.readMailboxes].map(([right, mailboxes]) => [right, new Set([...mailboxes].map(canonical))])),
    // Keyed `mailbox|right`; a right has no '|'.
    unreadable: new Map([...observation.unreadable].map(([key, reason]) => [`${canonical(key.slice(0, key.lastIndexOf('|')))}${key.slice(key.lastIndexOf('|'))}`, reason])),
    canonical,
  };
}

export function compare(plan: DestinationPlan, exported: Observation, mapping: AddressMapping): VerificationResult {
  const observation = withAliasesResolved(exported, plan.snapshot, mapping);
  const canonical = (address: string): string => observation.canonical(address);
  const key = (mailbox: string, grantee: string, right: string): string => `${mailbox}|${grantee}|${right}`;
  const seen = new Map<string, (typeof observation.delegations)[number]>();
  for (const observed of observation.delegations) {
    const k = key(canonical(observed.mailbox), canonical(observed.grantee), observed.right);
    const before = seen.get(k);
    if (!before || (before.pending && !observed.pending)) seen.set(k, observed);
  }
  const items: VerifyItem[] = [];
  const planned = new Set<string>();
  const scope = new Set<string>();
  // A booking delegate is checked like every delegation: the resource as the mailbox, the delegate as the grantee.
  const expected = [
    ...plan.delegations.map((d) => ({ mailbox: d.mailboxAddress, grantee: d.granteeAddress, right: d.right, carries: d.carries as readonly string[], mailboxId: d.grant.mailboxId, granteeId: d.grant.granteeId })),
    ...bookingDelegations(plan).map((d) => ({
      mailbox: d.resourceAddress,
      grantee: d.delegateAddress,
      right: d.right,
      carries: [d.via.length > 0 ? `${BOOKING_DELEGATE} (via group ${d.via[0]!.email ?? d.via[0]!.id})` : BOOKING_DELEGATE],
      mailboxId: d.resource.id,
      granteeId: d.delegate.id,
    })),
  ];
  for (const delegation of expected) {
    const mailbox = canonical(delegation.mailbox);
    const k = key(mailbox, canonical(delegation.grantee), delegation.right);
    planned.add(k);
    scope.add(mailbox);
    const base = { ...delegation };
    const read = observation.readMailboxes.get(delegation.right);
    const unreadable = observation.unreadable.get(`${mailbox}|${delegation.right}`);
    const found = seen.get(k);
    if (!observation.covered.has(delegation.right)) {
      items.push({ ...base, status: 'not-checked', detail: `no export of ${delegation.right} was given` });
    } else if (unreadable) {
      items.push({ ...base, status: 'not-checked', detail: unreadable });
    } else if (found && !found.pending) {
      items.push({ ...base, status: 'arrived', source: `${found.file}:${found.line}` });
    } else if (found) {
      items.push({ ...base, status: 'missing', detail: found.pending, source: `${found.file}:${found.line}` });
    } else if (read && !read.has(mailbox)) {
      items.push({ ...base, status: 'not-checked', detail: `the ${delegation.right} export has no rows for this mailbox: it was not read` });
    } else {
      items.push({ ...base, status: 'missing' });
    }
  }
  // Booking options: only Exchange's script sets any (the other destinations list them as not carried).
  if (plan.target === 'exchange') {
    for (const item of exchangeSettingItems(plan, observation, canonical)) {
      scope.add(canonical(item.mailbox));
      items.push(item);
    }
  }
  for (const [k, observed] of seen) {
    if (!planned.has(k) && scope.has(canonical(observed.mailbox))) {
      items.push({
        status: 'extra',
        mailbox: observed.mailbox,
        grantee: observed.grantee,
        right: observed.right,
        carries: [],
        detail: `not a delegation this snapshot and mapping call for (given by hand, or there before)${observed.pending ? `; ${observed.pending}` : ''}`,
        source: `${observed.file}:${observed.line}`,
      });
    }
  }
  const unresolved = observation.unresolved.filter((u) => u.mailbox === undefined || scope.has(canonical(u.mailbox)));
  const count = (status: VerifyStatus): number => items.filter((item) => item.status === status).length;
  const counts: VerifyCounts = {
    arrived: count('arrived'),
    missing: count('missing'),
    notChecked: count('not-checked'),
    extra: count('extra'),
    notMappable: plan.notCarried.filter((n) => n.kind === 'not-mappable').length,
    notCarried: plan.notCarried.filter((n) => n.kind === 'not-carried').length,
    unread: plan.notCarried.filter((n) => n.kind === 'unread').length,
    unresolved: unresolved.length,
  };
  const partial = counts.notChecked > 0 || counts.unresolved > 0 || counts.unread > 0;
  return {
    target: plan.target,
    plan,
    items,
    notCarried: plan.notCarried,
    unresolved,
    files: observation.files,
    notes: observation.notes,
    unmatchedMappingRows: mapping.unmatchedRows,
    counts,
    partial,
    exitCode: counts.missing > 0 ? VERIFY_EXIT.missing : partial ? VERIFY_EXIT.partial : VERIFY_EXIT.arrived,
  };
}

/** Plans `target` from the snapshot and mapping as the script did, reads the exports, compares. */
export function verifyMigration(
  target: DestinationTarget,
  snapshot: Snapshot,
  mapping: AddressMapping,
  options: DestinationOptions,
  inputs: ReadonlyArray<{ file: string; text: string }>,
): VerificationResult {
  const observation = readExports(target, inputs);
  return compare(planDestination(target, snapshot, mapping, options), observation, mapping);
}

export { renderVerificationCsv, renderVerificationMarkdown } from './report';

// The audit subcommands: reports made from one organization's scan, as the extension's audit
// commands make them (src/commands/audit/): every permission and the other routes (export), what
// one user or group can use (access-of), and grants nobody should still hold (stale).
import path from 'node:path';
import { WorkMailError } from '../workmail/errors';
import { accessRulesFileBeside, exportTimes, writeAccessRulesCsv, writeCsv, writeJson, sortScan, type ExportSummary, type RoutesForExport } from '../workmail/exporters';
import { writeFileWhole, outputTarget } from '../workmail/files';
import { loadMembership } from '../workmail/groups';
import { counted } from '../workmail/plural';
import { asOfText } from '../workmail/readTimes';
import { AccessIndex, formatVia } from '../workmail/reverse';
import { rightsLabel } from '../workmail/rights';
import { listDirectory, type Directory } from '../workmail/scan';
import { STALE_REASON_TEXT, findStaleGrants } from '../workmail/stale';
import { accessRulesRead, loadRoutes } from '../workmail/routes/load';
import { routesOfPerson } from '../workmail/routes/personRoutes';
import { REMOVE_DELEGATE_ADVICE, ROLE_ADVICE, STALE_ROUTE_REASON_TEXT, findStaleRoutes, staleTargetInWords } from '../workmail/routes/staleRoutes';
import type { DirectoryEntity, EntityKind } from '../workmail/types';
import { NAME, STDOUT, UsageError, toOutput } from './common';
import type { Values } from './options';
import { choice, entityLabel, orgLabel, reportIncomplete, writeJsonReport, scan, type Context } from './scanRun';

/**
 * The other routes of the scanned organization (booking delegates, applications, access rules), read
 * once after the scan, stamped with when they were read.
 */
async function readRoutes(context: Context, values: Values, scanned: { readonly directory: Directory }): Promise<RoutesForExport> {
  const { session, org, io } = context;
  if (!values.quiet) io.stderr.write('Reading the booking delegates, applications and access rules\n');
  const routes = await loadRoutes(session.routes, org, scanned.directory.resources, { signal: io.signal, concurrency: Math.min(4, context.concurrency ?? 4) });
  return { org, routes, directory: scanned.directory.entities, readAt: (io.now ?? (() => new Date()))() };
}

/** Route parts that could not be read, as reportIncomplete lists them. */
function unreadRouteItems(routes: RoutesForExport): Array<{ label: string; message: string }> {
  return routes.routes.failures.map((failure) => ({ label: failure.subject, message: failure.error.message }));
}

/**
 * The access rules beside a CSV written to a file: `grants.csv` → `grants-access-rules.csv`. A CSV
 * holds one table, so beside standard output, a FIFO or a device there is nowhere to put them: the
 * sentence returned says so and how to get them. Nothing is written when they could not be read
 * (an empty file would say every mailbox is blocked); the incomplete report names them.
 */
async function writeRulesBeside(out: string | undefined, routes: RoutesForExport): Promise<{ file?: string; rules?: number; note?: string }> {
  const where = out === undefined || out === STDOUT ? 'standard output' : (await outputTarget(out)).kind === 'special' ? `${out}, which is not a regular file` : undefined;
  if (where) {
    return { note: `the access rules are not in this export: a CSV holds one table, and beside ${where} there is no file to put them in; run with --out FILE.csv to have them in FILE-access-rules.csv, or with --format json.` };
  }
  const file = accessRulesFileBeside(path.resolve(out!));
  if (!accessRulesRead(routes.routes)) return {};
  let rules: number | undefined;
  await writeFileWhole(file, async (stream) => {
    rules = await writeAccessRulesCsv(routes, stream);
  });
  return { file, rules };
}

/** `export`: every grant and the other routes of the organization, as CSV (default) or JSON, to --out or stdout. */
export async function exportCommand(values: Values, context: Context): Promise<number> {
  const format = choice(values.format, ['csv', 'json'] as const, 'csv', 'format');
  const { io } = context;
  const snapshot = await scan(context, values);
  const sorted = await sortScan(snapshot.grants);
  const routes = await readRoutes(context, values, snapshot);
  let summary: ExportSummary | undefined;
  await toOutput(values.out, io, async (out) => {
    summary = format === 'csv' ? await writeCsv(sorted, out, routes) : await writeJson({ ...sorted, failures: snapshot.failures }, out, { organization: context.org, ...exportTimes(snapshot), routes });
  });
  const beside = format === 'csv' ? await writeRulesBeside(values.out, routes) : {};
  if (beside.note) io.stderr.write(`${NAME}: ${beside.note}\n`);
  if (!values.quiet && summary) {
    const to = values.out === undefined || values.out === STDOUT ? 'standard output' : path.resolve(values.out);
    const rules = beside.file ? `; the access rules (${beside.rules}) to ${beside.file}` : '';
    io.stderr.write(
      `Exported ${counted(summary.rows, 'permission')} on ${counted(summary.mailboxes, 'mailbox', 'mailboxes')}, ${counted(summary.bookingDelegates, 'booking delegate')} and ${counted(summary.applications, 'application')} of ${orgLabel(context.org)} to ${to}${rules}.\n`,
    );
  }
  return reportIncomplete(io, snapshot, unreadRouteItems(routes));
}

/** `stale`: the grants held by disabled, deleted or unknown grantees, or on disabled or deleted mailboxes; and the stale routes. */
export async function staleCommand(values: Values, context: Context): Promise<number> {
  const format = choice(values.format, ['text', 'json'] as const, 'text', 'format');
  const snapshot = await scan(context, values);
  const stale = findStaleGrants(snapshot.grants);
  const sorted = await sortScan(stale.map((s) => s.record));
  const reasons = new Map(stale.map((s) => [s.record, s.reasons]));
  const routes = await readRoutes(context, values, snapshot);
  const staleRoutes = findStaleRoutes(routes.routes, snapshot.directory.entities);
  const out = context.io.stdout;
  if (format === 'json') {
    const items = sorted.mailboxes.flatMap(({ grants }) =>
      grants.map((record) => ({
        mailboxId: record.mailbox.id,
        mailbox: record.mailbox.email ?? record.mailbox.name ?? '',
        granteeId: record.granteeId,
        grantee: record.grantee?.email ?? record.grantee?.name ?? '',
        rights: record.rights,
        reasons: reasons.get(record),
      })),
    );
    out.write(
      `${JSON.stringify(
        {
          organization: context.org.organizationId,
          readAt: snapshot.readAt.toISOString(),
          stale: items,
          staleBookingDelegates: staleRoutes.delegates.map((item) => ({
            resourceId: item.resourceId,
            resource: item.resource?.email ?? item.resource?.name ?? '',
            delegateId: item.delegate.id,
            delegateType: item.delegate.type,
            delegate: item.entity?.email ?? item.entity?.name ?? '',
            reasons: item.reasons,
            advice: REMOVE_DELEGATE_ADVICE,
          })),
          staleApplications: staleRoutes.roles.map((item) => ({
            roleId: item.role.id,
            roleName: item.role.name,
            reasons: item.reasons,
            targets: item.targets.map((target) => ({ ruleId: target.rule.id, identifier: target.identifier, userId: target.user?.id, list: target.list, reason: target.reason, text: staleTargetInWords(target) })),
            advice: ROLE_ADVICE,
          })),
          unreadRoutes: routes.routes.failures.map((failure) => failure.subject),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    out.write(`${counted(stale.length, 'stale grant')} in ${orgLabel(context.org)}, ${asOfText(snapshot)}:\n`);
    for (const { grants } of sorted.mailboxes) {
      for (const record of grants) {
        const why = (reasons.get(record) ?? []).map((r) => STALE_REASON_TEXT[r]).join('; ');
        out.write(`  ${entityLabel(record.mailbox)}  <-  ${record.grantee ? entityLabel(record.grantee) : record.granteeId}  ${rightsLabel(record.rights)}  (${why})\n`);
      }
    }
    if (staleRoutes.delegates.length > 0) {
      out.write(`${counted(staleRoutes.delegates.length, 'stale booking delegate')}:\n`);
      for (const item of staleRoutes.delegates) {
        const why = item.reasons.map((r) => STALE_ROUTE_REASON_TEXT[r]).join('; ');
        out.write(`  ${item.resource ? entityLabel(item.resource) : item.resourceId}  <-  ${item.entity ? entityLabel(item.entity) : item.delegate.id}  booking delegate  (${why}; ${REMOVE_DELEGATE_ADVICE})\n`);
      }
    }
    if (staleRoutes.roles.length > 0) {
      out.write(`${counted(staleRoutes.roles.length, 'application')} with stale rules:\n`);
      for (const item of staleRoutes.roles) {
        const why = [...item.reasons.map((r) => STALE_ROUTE_REASON_TEXT[r]), ...item.targets.map(staleTargetInWords)].join('; ');
        out.write(`  ${oneLine(item.role.name)} (${item.role.type === 'FULL_ACCESS' ? 'full access' : 'read only'})  (${oneLine(why)}; ${ROLE_ADVICE})\n`);
      }
    }
  }
  return reportIncomplete(context.io, snapshot, unreadRouteItems(routes));
}

/** Names from the directory or a role, on one line of the terminal. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** `access-of`: every mailbox one user or group can use, directly or through groups. */
/**
 * What a question about one entity reads: the directory, the entity `--entity` names (one of
 * `kinds`), a scan of the organization's grants and every group's members.
 */
export async function scanAroundEntity(values: Values, context: Context, kinds: readonly EntityKind[]) {
  if (!values.entity) {
    throw new UsageError('--entity is required (a name, email address or ID).');
  }
  const { session, org, io } = context;
  const directory = await listDirectory(session, org, { signal: io.signal });
  const entity = findInDirectory(directory, values.entity) ?? (await session.findEntity(org, values.entity, io.signal, kinds));
  if (!entity) {
    const what = kinds.length === 3 ? 'user, group or resource' : 'user or group';
    throw new WorkMailError('EntityNotFound', `No ${what} "${values.entity}" in ${orgLabel(org)}.`);
  }
  const snapshot = await scan(context, values, directory);
  const { membership, failures: groupFailures } = await loadMembership(session, org, directory.groups, { signal: io.signal, concurrency: Math.min(4, context.concurrency ?? 4) });
  return { directory, entity, snapshot, membership, groupFailures };
}

export async function accessOfCommand(values: Values, context: Context): Promise<number> {
  const format = choice(values.format, ['text', 'json'] as const, 'text', 'format');
  const { org, io } = context;
  const { directory, entity, snapshot, membership, groupFailures } = await scanAroundEntity(values, context, ['user', 'group']);
  const routes = await readRoutes(context, values, { directory });
  // One index for every route of the entity: grants, booking delegations, applications.
  const index = new AccessIndex(snapshot.grants, membership, directory.entities, routes.routes);
  const entries = index.accessOf(entity);
  const { bookingDelegations, applications } = routesOfPerson(entity, index);
  const out = io.stdout;
  if (format === 'json') {
    writeJsonReport(io, org, snapshot, {
      entity: { id: entity.id, kind: entity.kind, name: entity.name, email: entity.email, state: entity.state },
      access: entries.map((entry) => ({
        mailboxId: entry.mailbox.id,
        mailboxName: entry.mailbox.name,
        mailboxEmail: entry.mailbox.email,
        mailboxKind: entry.mailbox.kind,
        mailboxState: entry.mailbox.state,
        rights: entry.rights,
        granteeId: entry.granteeId,
        via: entry.via,
        path: formatVia(entry.via),
      })),
      bookingDelegateOf: bookingDelegations.map((d) => ({ resourceId: d.resourceId, resourceName: d.resource?.name, resourceEmail: d.resource?.email, via: d.via, path: formatVia(d.via) })),
      applications: applications.map((role) => ({ roleId: role.id, name: role.name, type: role.type })),
      unreadRoutes: routes.routes.failures.map((failure) => failure.subject),
      incomplete: snapshot.failures.length > 0 || groupFailures.length > 0 || routes.routes.failures.length > 0,
    });
  } else {
    const mailboxes = new Set(entries.map((e) => e.mailbox.id)).size;
    out.write(`${entityLabel(entity)} has rights on ${mailboxes} mailbox${mailboxes === 1 ? '' : 'es'} in ${orgLabel(org)}, ${asOfText(snapshot)}:\n`);
    for (const entry of entries) {
      out.write(`  ${entityLabel(entry.mailbox)}  ${rightsLabel(entry.rights)}  ${formatVia(entry.via)}\n`);
    }
    if (bookingDelegations.length > 0) {
      out.write(`Booking delegate of ${counted(bookingDelegations.length, 'resource')} (receives its booking requests, full access to its calendar):\n`);
      for (const d of bookingDelegations) out.write(`  ${d.resource ? entityLabel(d.resource) : d.resourceId}  ${formatVia(d.via)}\n`);
    }
    if (applications.length > 0) {
      out.write(`${counted(applications.length, 'application')} may act as them over EWS (impersonation), and so reach everything above:\n`);
      for (const role of applications) out.write(`  ${oneLine(role.name)} (${role.type === 'FULL_ACCESS' ? 'full access' : 'read only'})\n`);
    }
  }
  return reportIncomplete(io, snapshot, [...groupFailures.map((f) => ({ label: `group ${entityLabel(f.group)}`, message: f.error.message })), ...unreadRouteItems(routes)]);
}

/** By exact ID, then email, then name or display name (case-insensitive); ambiguity is an error. */
export function findInDirectory(directory: Directory, wanted: string): DirectoryEntity | undefined {
  const trimmed = wanted.trim();
  const byId = directory.entities.get(trimmed);
  if (byId) {
    return byId;
  }
  const lower = trimmed.toLowerCase();
  const all = [...directory.users, ...directory.groups, ...directory.resources];
  const byEmail = all.filter((e) => e.email?.toLowerCase() === lower);
  const byName = byEmail.length > 0 ? byEmail : all.filter((e) => e.name?.toLowerCase() === lower || e.displayName?.toLowerCase() === lower);
  if (byName.length > 1) {
    throw new UsageError(`"${wanted}" matches ${byName.length} entries (${byName.map((e) => e.id).join(', ')}); give the email address or ID.`);
  }
  return byName[0];
}

// `workmail-permissions who-can-open --entity MAILBOX`: every way into one mailbox, on every route
// WorkMail has: mailbox permissions (directly and through nested groups), booking delegates, and
// applications through impersonation roles (acting as the owner, or as someone who can open it),
// each with its path, and what an access rule takes away from each, as WorkMail evaluates it.
import { counted } from '../workmail/plural';
import { asOfText } from '../workmail/readTimes';
import { formatVia } from '../workmail/reverse';
import { marksForRoutes } from '../workmail/routes/accessMarks';
import { marksInWords, routeInWords } from '../workmail/routes/openReport';
import { loadRoutes } from '../workmail/routes/load';
import { whoCanOpen, type PersonRoute } from '../workmail/routes/whoCanOpen';
import { bookingOptionsInWords } from '../workmail/routes/words';
import { scanAroundEntity } from './audit';
import type { Values } from './options';
import { choice, entityLabel, orgLabel, reportIncomplete, writeJsonReport, type Context } from './scanRun';

export async function whoCanOpenCommand(values: Values, context: Context): Promise<number> {
  const format = choice(values.format, ['text', 'json'] as const, 'text', 'format');
  const { session, org, io } = context;
  const { directory, entity: mailbox, snapshot, membership, groupFailures } = await scanAroundEntity(values, context, ['user', 'group', 'resource']);
  const concurrency = Math.min(4, context.concurrency ?? 4);
  const routes = await loadRoutes(session.routes, org, directory.resources, { signal: io.signal, concurrency });
  const found = whoCanOpen(mailbox, { grants: snapshot.grants, membership, directory: directory.entities, delegates: routes.delegates, roles: routes.roles });
  const marksOf = await marksForRoutes(session.routes, org, routes.accessRules, found, io.signal);
  const out = io.stdout;
  if (format === 'json') {
    writeJsonReport(io, org, snapshot, {
      mailbox: { id: mailbox.id, kind: mailbox.kind, name: mailbox.name, email: mailbox.email, state: mailbox.state },
      bookingOptions: mailbox.kind === 'resource' ? routes.bookingOptions.get(mailbox.id) ?? null : undefined,
      routes: found.map((route) => ({
        route: route.route,
        ...(route.route === 'impersonation'
          ? { roleId: route.role.id, roleName: route.role.name, roleType: route.role.type, through: route.through ? { route: route.through.route, personId: route.through.personId, personName: route.through.person?.name, rights: route.through.rights, path: formatVia(route.through.via) } : null }
          : { personId: route.personId, personName: route.person?.name, personEmail: route.person?.email, rights: route.rights, path: formatVia(route.via) }),
        deniedBy: marksOf(route),
        text: routeInWords(route, entityLabel),
      })),
      accessRules: routes.accessRules.map((rule) => rule.name),
      incomplete: snapshot.failures.length > 0 || groupFailures.length > 0 || routes.failures.length > 0,
    });
  } else {
    const people = new Set(found.filter((route) => route.route !== 'impersonation').map((route) => (route as PersonRoute).personId)).size;
    const applications = new Set(found.filter((route) => route.route === 'impersonation').map((route) => (route.route === 'impersonation' ? route.role.id : ''))).size;
    out.write(`${entityLabel(mailbox)} in ${orgLabel(org)}, ${asOfText(snapshot)}: ${counted(people, 'person', 'people')} and ${counted(applications, 'application')} can use it.\n`);
    if (mailbox.kind === 'resource') out.write(`  Booking: ${bookingOptionsInWords(routes.bookingOptions.get(mailbox.id))}\n`);
    for (const route of found) out.write(`  ${routeInWords(route, entityLabel)}${marksInWords(marksOf(route))}\n`);
  }
  return reportIncomplete(io, snapshot, [
    ...groupFailures.map((f) => ({ label: `group ${entityLabel(f.group)}`, message: f.error.message })),
    ...routes.failures.map((f) => ({ label: f.subject, message: f.error.message })),
  ]);
}

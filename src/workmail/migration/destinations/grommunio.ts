// grommunio (the self-hosted successor of Kopano): a bash script to run as root on the grommunio
// server, with grommunio-admin. grommunio's admin documentation ("Permissions" of a user) has the
// three rights WorkMail has:
//   FULL_ACCESS     -> "Full permissions": the storeowner permission on the store's IPM subtree,
//                      `grommunio-admin exmdb <owner> folder grant 0x9 <grantee> storeowner`. That is
//                      what the admin API's POST …/users/{userID}/storeAccess does (endpoints/domain/
//                      users.py: setFolderMember on IPMSUBTREE with Permissions.STOREOWNER; 0x9 is the
//                      IPM subtree of a user store per grommunio-admin-exmdb(1)). The API also records
//                      the store for grommunio Web to open by itself; the CLI grant does not.
//   SEND_AS         -> `grommunio-admin user sendas <owner> add <grantee>`
//   SEND_ON_BEHALF  -> `grommunio-admin user delegates <owner> add <grantee>` (the "delegates" list is
//                      grommunio's send-on-behalf list). grommunio-admin-user(1) spells the command
//                      `delegate`; the parser in cli/user.py registers `delegates`, which is used here.
// Both lists accept only existing users (cli/user.py refuses other addresses without --force), so
// groups cannot be grantees, and mailing lists have no store. grommunio's documentation notes that
// send-as masks send-on-behalf when a user has both. `<owner>` is a user name prefix for
// grommunio-admin; a full address matches that user, and an ambiguous one is refused, not guessed.
//
// Booking delegates of rooms and equipment (grommunio has them as users with a store) -> a grant on
// the resource's calendar folder, `grommunio-admin exmdb <room> folder grant 0xf <delegate> …`
// (0xf is PRIVATE_FID_CALENDAR in gromox; the permission names are cli/exmdb.py's), with every right
// on its items: WorkMail's delegates "have full access to the resource calendar". No grommunio
// setting was found that forwards booking requests to them or that WorkMail's booking options map
// to: listed as not migrated.
//
// Aliases come first (a grant may name a mailbox by one): `grommunio-admin user modify <owner> --alias
// <alias>` (cli/user.py: `--alias`, "Add alias", repeatable, on `user create` and `user modify`), for
// users and for rooms and equipment, which grommunio has as users. Mailing lists (`mlist`) take no
// alias in grommunio-admin: a group's alias is listed as not migrated.
//
// DRY_RUN=1 prints the commands instead of running them. The script ends with the read-back: the
// admin API's list endpoints (GET /domains/{domainID}/users/{userID}/delegates, /sendas and
// /storeAccess, res/openapi.yaml) for every mailbox it changed, one JSON line each, and for every
// resource it gave delegates the text of `grommunio-admin exmdb <room> folder permissions 0xf` as
// one more line (endpoint calendarPermissions), for `workmail-permissions verify --target grommunio`.
import type { AddressMapping, Snapshot } from '../schema';
import { aliasTraceText, dashed, planAliases, type PlannedAlias } from './aliases';
import { planApplications } from './applications';
import { accessRuleComment, grommunioApplicationComment, withGap } from './applicationSections';
import { bookingTraceText, optionsNotCarried, planBooking, type BookingDelegation } from './booking';
import { commandLines, commentText, delegationOf, mailboxAddresses, notCarriedComment, planGrants, scriptHeader, shellWord, WAVE_NOTE } from './common';
import type { Carried, CarryInput, Delegation, DestinationOptions, DestinationPlan } from './common';

export const GROMMUNIO_READBACK_FILE = 'workmail-grommunio-readback.jsonl';

/** The plan's name for a booking delegate at grommunio: a grant on the resource's calendar folder. */
export const GROMMUNIO_BOOKING_RIGHT = 'calendarDelegate';
/** The calendar folder of a private store (gromox PRIVATE_FID_CALENDAR). */
export const GROMMUNIO_CALENDAR_FOLDER = '0xf';
/** Every right on the calendar's items, as grommunio-admin names them (cli/exmdb.py). */
export const GROMMUNIO_CALENDAR_PERMISSIONS = ['readany', 'create', 'editowned', 'deleteowned', 'editany', 'deleteany', 'foldervisible', 'freebusysimple', 'freebusydetailed'] as const;

/** The admin API endpoint that lists each right. */
export const GROMMUNIO_ENDPOINTS = { storeAccess: 'FULL_ACCESS', sendas: 'SEND_AS', delegates: 'SEND_ON_BEHALF' } as const;

function carryGrommunio(input: CarryInput): Carried {
  const carried: Carried = { delegations: [], skipped: [] };
  const { mailbox, grantee, rights } = input;
  if (mailbox.kind === 'group') {
    carried.skipped.push(
      ...rights.map((right) => ({ right, reason: 'a grommunio mailing list has no store or send-as list; give the right to its members by hand if still needed' })),
    );
    return carried;
  }
  if (grantee.kind === 'group') {
    carried.skipped.push(
      ...rights.map((right) => ({ right, reason: 'grommunio-admin accepts only users in these lists, not mailing lists; give the right to each member instead' })),
    );
    return carried;
  }
  if (input.mailboxAddress.startsWith('-') || input.granteeAddress.startsWith('-')) {
    // grommunio-admin parses its words with argparse, which reads a leading dash as an option.
    carried.skipped.push(...rights.map((right) => ({ right, reason: 'an address starts with "-", which grommunio-admin would read as an option; add it in the admin web by hand' })));
    return carried;
  }
  const notes = [
    ...(mailbox.kind === 'resource' ? ['the room or equipment must exist in grommunio as a user with a store at this address'] : []),
    ...(input.granteeOutsideWave ? [WAVE_NOTE] : []),
  ];
  for (const right of rights) {
    const destination = right === 'FULL_ACCESS' ? 'storeAccess' : right === 'SEND_AS' ? 'sendas' : 'delegates';
    const rightNotes = right === 'SEND_ON_BEHALF' && rights.includes('SEND_AS') ? [...notes, 'grommunio lets send-as mask send-on-behalf when a user has both'] : notes;
    carried.delegations.push(delegationOf(input, destination, [right], rightNotes.join('; ')));
  }
  return carried;
}

export function planGrommunio(snapshot: Snapshot, mapping: AddressMapping, options: DestinationOptions): DestinationPlan {
  const { delegations, notCarried } = planGrants(snapshot, mapping, options, carryGrommunio, options.mappingSource === undefined);
  const booking = planBooking(
    snapshot,
    mapping,
    options,
    {
      right: GROMMUNIO_BOOKING_RIGHT,
      refuse: (_delegate, delegateAddress, resourceAddress) =>
        delegateAddress.startsWith('-') || resourceAddress.startsWith('-') ? 'an address starts with "-", which grommunio-admin would read as an option; grant it in the admin web by hand' : undefined,
      note: () => 'the room or equipment must exist in grommunio as a user with a store at this address; grommunio does not forward booking requests to the delegate',
    },
    options.mappingSource === undefined,
  );
  const optionsSkipped = booking.booking
    .filter((resource) => resource.options)
    .map((resource) => optionsNotCarried(resource, 'no grommunio setting was found for WorkMail\'s booking options (automatic acceptance, declining conflicts and recurring meetings); set them in grommunio by hand if it has them'));
  const aliases = planAliases(
    snapshot,
    mapping,
    options,
    {
      refuse: (entity, entityAddress, aliasAddress) =>
        entity.kind === 'group'
          ? 'grommunio-admin has no alias for a mailing list (mlist create and modify take none); add the address in grommunio by hand if it has a way'
          : dashed(entityAddress, aliasAddress)
            ? 'an address starts with "-", which grommunio-admin would read as an option; add the alias in the admin web by hand'
            : undefined,
      note: (entity) => (entity.kind === 'resource' ? 'the room or equipment must exist in grommunio as a user at this address' : undefined),
    },
    options.mappingSource === undefined,
  );
  return {
    target: 'grommunio',
    snapshot,
    options,
    delegations,
    booking: booking.booking,
    aliases: aliases.aliases,
    applications: planApplications(snapshot, mapping, options.mappingSource === undefined),
    notCarried: [...aliases.notCarried, ...notCarried, ...booking.notCarried, ...optionsSkipped],
    warnings: aliases.warnings,
  };
}

/** The grommunio-admin words that add one alias to a user (run through `run`, which honours DRY_RUN). */
export function grommunioAliasCommand(planned: PlannedAlias): string {
  return `run grommunio-admin user modify ${shellWord(planned.entityAddress)} --alias ${shellWord(planned.aliasAddress)}`;
}

/** The grommunio-admin words that give a booking delegate the resource's calendar. */
export function grommunioBookingCommand(delegation: BookingDelegation): string {
  return `run grommunio-admin exmdb ${shellWord(delegation.resourceAddress)} folder grant ${GROMMUNIO_CALENDAR_FOLDER} ${shellWord(delegation.delegateAddress)} ${GROMMUNIO_CALENDAR_PERMISSIONS.join(' ')}`;
}

/** The grommunio-admin words for one delegation (run through `run`, which honours DRY_RUN). */
export function grommunioCommand(delegation: Delegation): string {
  const owner = shellWord(delegation.mailboxAddress);
  const grantee = shellWord(delegation.granteeAddress);
  switch (delegation.right) {
    case 'storeAccess':
      return `run grommunio-admin exmdb ${owner} folder grant 0x9 ${grantee} storeowner`;
    case 'sendas':
      return `run grommunio-admin user sendas ${owner} add ${grantee}`;
    default:
      return `run grommunio-admin user delegates ${owner} add ${grantee}`;
  }
}

function readbackLines(plan: DestinationPlan): string[] {
  const addresses = mailboxAddresses(plan);
  const resources = plan.booking.filter((resource) => resource.delegations.length > 0).map((resource) => resource.resourceAddress);
  const lines = [...addresses.map((address) => `    readback ${shellWord(address)}`), ...resources.map((address) => `    readcalendar ${shellWord(address)}`)];
  // bash refuses an empty { } group.
  return lines.length > 0 ? lines : ['    :'];
}

export function renderGrommunio(plan: DestinationPlan): string {
  const header = scriptHeader(plan, [
    'Run as root on the grommunio server: bash <this file>. Try it first with: DRY_RUN=1 bash <this file>',
    'A command that fails is reported and the rest still run; the count is printed at the end.',
    'It ends with the read-back for `workmail-permissions verify --target grommunio` (needs curl and an admin login).',
  ]);
  const lines = [
    '#!/usr/bin/env bash',
    ...header,
    '',
    'set -u',
    'failures=0',
    'run() {',
    '  if [ "${DRY_RUN:-0}" = 1 ]; then printf \'DRY RUN:\'; printf \' %q\' "$@"; printf \'\\n\'; return 0; fi',
    '  "$@" || { failures=$((failures + 1)); printf \'FAILED:\' >&2; printf \' %q\' "$@" >&2; printf \'\\n\' >&2; }',
    '}',
    '',
  ];
  if (plan.aliases.length > 0) {
    lines.push('# ---- Aliases (before the permissions: a permission may name a mailbox by an alias) ----');
    for (const planned of plan.aliases) {
      lines.push(`# ${aliasTraceText(planned)}`);
      if (planned.note) lines.push(commentText(`# NOTE: ${planned.note}`));
      lines.push(grommunioAliasCommand(planned));
    }
    lines.push('');
  }
  lines.push(...commandLines(plan, (delegation) => grommunioCommand(delegation)));
  for (const resource of plan.booking.filter((r) => r.delegations.length > 0)) {
    lines.push(`# ---- Booking: ${resource.resourceAddress} ----`);
    for (const delegation of resource.delegations) {
      lines.push(`# ${bookingTraceText(delegation)}`);
      if (delegation.note) lines.push(commentText(`# NOTE: ${delegation.note}`));
      lines.push(grommunioBookingCommand(delegation));
    }
  }
  lines.push(
    'echo "workmail-permissions: $failures command(s) failed" >&2',
    '',
    ...notCarriedComment(plan),
    ...withGap(grommunioApplicationComment(plan.applications)),
    ...withGap(accessRuleComment(plan.applications, 'grommunio')),
    '',
    '# ---- Read-back for verification ----',
    `# Writes ${GROMMUNIO_READBACK_FILE}: for each mailbox above, the admin API's answer for delegates, sendas`,
    '# and storeAccess, one JSON line each, for: workmail-permissions verify --target grommunio --snapshot … --export <that file>',
    '# GROMMUNIO_API (default https://localhost:8443/api/v1), GROMMUNIO_USER (default admin) and GROMMUNIO_PASSWORD',
    '# (asked for when unset); GROMMUNIO_INSECURE=1 accepts a self-signed certificate.',
    'if [ "${DRY_RUN:-0}" != 1 ]; then',
    '  api=${GROMMUNIO_API:-https://localhost:8443/api/v1}',
    '  if [ -z "${GROMMUNIO_PASSWORD:-}" ]; then read -rsp \'grommunio admin password: \' GROMMUNIO_PASSWORD; echo >&2; fi',
    '  token=$(curl -fsS ${GROMMUNIO_INSECURE:+-k} --data-urlencode "user=${GROMMUNIO_USER:-admin}" --data-urlencode "pass=$GROMMUNIO_PASSWORD" "$api/login" | sed -n \'s/.*"grommunioAuthJwt" *: *"\\([^"]*\\)".*/\\1/p\')',
    '  readback() {',
    '    ids=$(grommunio-admin user query -f "username=$1" --format csv ID domainID | tail -n 1)',
    '    for endpoint in delegates sendas storeAccess; do',
    '      body=$(curl -fsS ${GROMMUNIO_INSECURE:+-k} -H "Cookie: grommunioAuthJwt=$token" "$api/domains/${ids#*,}/users/${ids%%,*}/$endpoint") || body=null',
    '      printf \'{"mailbox":"%s","endpoint":"%s","response":%s}\\n\' "$1" "$endpoint" "$(printf \'%s\' "$body" | tr -d \'\\r\\n\')"',
    '    done',
    '  }',
    ...(plan.booking.some((resource) => resource.delegations.length > 0)
      ? [
          '  # The calendar folder\'s grants as grommunio-admin prints them, kept as text in one JSON string (python3 comes with grommunio-admin).',
          '  readcalendar() {',
          `    if text=$(grommunio-admin exmdb "$1" folder permissions ${GROMMUNIO_CALENDAR_FOLDER} 2>&1); then key=text; else key=message; fi`,
          '    printf \'{"mailbox":"%s","endpoint":"calendarPermissions","response":{"%s":%s}}\\n\' "$1" "$key" "$(printf \'%s\' "$text" | python3 -c \'import json,sys; print(json.dumps(sys.stdin.read()))\')"',
          '  }',
        ]
      : []),
    '  {',
    ...readbackLines(plan),
    `  } > ${GROMMUNIO_READBACK_FILE}`,
    'fi',
  );
  return `${lines.join('\n')}\n`;
}

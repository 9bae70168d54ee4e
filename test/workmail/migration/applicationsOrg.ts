// The applications test organization: the sample organization's three impersonation roles and three
// access rules (emulator/seeds/sample.json, acme) on a small directory, so every user is visible here.
import type { Snapshot, SnapshotAccessRule, SnapshotImpersonationRole } from '../../../src/workmail/migration/schema';
import { grant, snapshotOf, user } from './support';

export const ROLES: SnapshotImpersonationRole[] = [
  {
    id: 'role-archiver',
    name: 'Mail archiver',
    type: 'READ_ONLY',
    description: 'Journal archive, reads every mailbox over EWS',
    rules: [
      { id: 'everyone', name: 'Everyone', effect: 'ALLOW' },
      { id: 'not-the-ceo', name: 'Not the chief executive', effect: 'DENY', targetUsers: ['u-ceo'] },
    ],
  },
  {
    id: 'role-crm',
    name: 'CRM sync',
    type: 'FULL_ACCESS',
    description: "Files the sales team's mail into the CRM",
    // By ID, by user name and by address (in another case), as rules may name them.
    rules: [{ id: 'sales-team', name: 'Sales department', effect: 'ALLOW', targetUsers: ['u-sam', 'sue', 'SID@old.example.com'] }],
  },
  {
    id: 'role-ediscovery',
    name: 'E-discovery search',
    type: 'READ_ONLY',
    rules: [{ id: 'all-but-legal-and-hr', name: 'Everyone but Legal and HR', effect: 'ALLOW', notTargetUsers: ['u-lea', 'u-hal', 'u-gone'] }],
  },
];

export const ACCESS_RULES: SnapshotAccessRule[] = [
  { name: 'default-rule', effect: 'ALLOW', description: 'Default rule: allows every user and impersonation role, on every protocol, from every address', default: true },
  { name: 'imap-office-only', effect: 'DENY', description: 'IMAP only from the office network', actions: ['IMAP'], notIpRanges: ['198.51.100.0/24'] },
  { name: 'no-webmail-noah', effect: 'DENY', description: 'No WebMail for Noah Fischer (shared workstation)', actions: ['WebMail'], userIds: ['u-noah'] },
];

export function applicationsOrg(): Snapshot {
  const entities = [
    user('u-ceo', 'ceo@old.example.com'),
    user('u-sam', 'sam@old.example.com'),
    user('u-sue', 'sue@old.example.com'),
    user('u-sid', 'sid@old.example.com'),
    user('u-lea', 'lea@old.example.com'),
    user('u-hal', 'hal@old.example.com'),
    user('u-noah', 'noah@old.example.com'),
    user('u-off', 'off@old.example.com', { state: 'DISABLED' }),
  ];
  return snapshotOf(entities, [grant('u-sam', 'u-sue', ['FULL_ACCESS'])], { routes: { resources: [], impersonationRoles: ROLES, accessRules: ACCESS_RULES } });
}

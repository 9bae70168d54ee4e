// Deterministic directory generator: the same options always give the same users, groups,
// resources and grants (IDs included), so benchmarks and tests can name what they expect.
import { DEFAULT_ACCESS_RULE } from './accessRules';
import type {
  GenerateOptions,
  SeedAccessControlRule,
  SeedAccount,
  SeedDocument,
  SeedGrant,
  SeedGroup,
  SeedImpersonationRole,
  SeedImpersonationRule,
  SeedResource,
  SeedResourceBooking,
  SeedRight,
  SeedUser,
} from './seedDocument';

export type { GenerateOptions } from './seedDocument';
import { seededRandom } from './faults';

export interface GeneratedDirectory {
  readonly users: SeedUser[];
  readonly groups: SeedGroup[];
  readonly resources: SeedResource[];
  readonly grants: SeedGrant[];
  /** The other routes into a mailbox, drawn from their own random stream (generateRoutes). */
  readonly booking: SeedResourceBooking[];
  readonly impersonationRoles: SeedImpersonationRole[];
  /** The default rule first, then the generated ones. */
  readonly accessControlRules: SeedAccessControlRule[];
  /**
   * The aliases of some generated entities (generateAliases), apart from the entities so that these
   * stay byte for byte what they were before aliases existed; expandSeed puts them on the entities.
   */
  readonly aliases: ReadonlyArray<{ readonly entity: string; readonly aliases: readonly string[] }>;
}

const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy',
  'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily', 'Paul', 'Michelle', 'Andrew', 'Amanda', 'Joshua', 'Melissa',
  'Kenneth', 'Stephanie', 'Kevin', 'Rebecca', 'Brian', 'Laura', 'George', 'Sharon', 'Timothy', 'Cynthia', 'Ronald', 'Amy',
  'Jason', 'Angela', 'Ryan', 'Anna', 'Jacob', 'Brenda', 'Gary', 'Emma', 'Nicholas', 'Olivia', 'Eric', 'Sophia', 'Priya',
  'Wei', 'Aisha', 'Mateo', 'Yuki', 'Fatima', 'Lars', 'Ingrid', 'Kwame', 'Chloe', 'Diego', 'Hannah', 'Omar', 'Leila',
  'Noah', 'Zoe', 'Ravi', 'Mei', 'Sven', 'Elena', 'Tariq', 'Nadia', 'Hugo', 'Camille', 'Kenji', 'Amara', 'Pablo', 'Freya',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson',
  'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Chen', 'Singh', 'Okafor', 'Larsen', 'Novak', 'Rossi', 'Dubois',
  'Schmidt', 'Tanaka', 'Haddad', 'Kowalski', 'Silva', 'Costa', 'Fischer', 'Ivanova', 'Murphy', "Osei", 'Berg',
];
const DEPARTMENTS = ['sales', 'marketing', 'finance', 'engineering', 'support', 'legal', 'hr', 'operations', 'it', 'research', 'procurement', 'design'];
const TEAM_SUFFIXES = ['emea', 'amer', 'apac', 'leads', 'interns', 'oncall', 'managers', 'contractors', 'berlin', 'austin', 'dublin', 'tokyo'];
const JOB_TITLES = ['Analyst', 'Engineer', 'Manager', 'Specialist', 'Coordinator', 'Director', 'Associate', 'Consultant'];
const ROOM_NAMES = ['atlas', 'borealis', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lagoon'];
const EQUIPMENT_NAMES = ['projector', 'van', 'camera', 'laptop-cart', 'vc-kit', 'printer'];
const ALL_RIGHTS: readonly SeedRight[] = ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'];

const EPOCH_2021 = Date.UTC(2021, 0, 1);
const DAY_MS = 86_400_000;

function hex(random: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

function uuid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function isoDay(offsetDays: number): string {
  return new Date(EPOCH_2021 + offsetDays * DAY_MS).toISOString();
}

export function generateDirectory(options: GenerateOptions): GeneratedDirectory {
  const random = seededRandom(options.seed);
  const userCount = Math.max(0, Math.floor(options.users));
  const groupCount = Math.max(0, Math.floor(options.groups ?? Math.max(1, Math.floor(userCount / 20))));
  const resourceCount = Math.max(0, Math.floor(options.resources ?? Math.max(1, Math.floor(userCount / 50))));
  const grantCount = Math.max(0, Math.floor(options.grants ?? userCount * 5));
  const domain = options.domain;
  const usedNames = new Set<string>();
  const uniqueName = (base: string): string => {
    let name = base;
    for (let n = 2; usedNames.has(name); n++) name = `${base}${n}`;
    usedNames.add(name);
    return name;
  };

  const users: SeedUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const name = uniqueName(`${first}.${last}`.toLowerCase());
    const roll = random();
    // About 3% disabled and 1% deleted, like a directory with some churn; a few system users.
    const state = roll < 0.01 ? 'DELETED' : roll < 0.04 ? 'DISABLED' : 'ENABLED';
    const enabledDay = Math.floor(random() * 1200);
    const role = i % 997 === 5 ? 'SYSTEM_USER' : 'USER';
    // What real directories also hold (no extra random draws, so the rest stays as it was):
    // IDs in the S-1-... form, empty display names, and users without a mailbox (never registered
    // for mail, and system users): DISABLED with no email.
    const drawnId = uuid(random);
    const id = i % 50 === 7 ? `S-1-1-11-${parseInt(drawnId.slice(0, 8), 16)}-${parseInt(drawnId.slice(9, 13), 16)}-${parseInt(drawnId.slice(14, 18), 16)}-${1000 + i}` : drawnId;
    const mailboxless = role === 'SYSTEM_USER' || i % 70 === 13;
    users.push({
      id,
      name,
      displayName: i % 60 === 11 ? '' : `${first} ${last}`,
      ...(mailboxless ? {} : { email: `${name}@${domain}` }),
      state: mailboxless ? 'DISABLED' : state,
      role,
      firstName: first,
      lastName: last,
      jobTitle: pick(random, JOB_TITLES),
      department: pick(random, DEPARTMENTS),
      enabledDate: isoDay(enabledDay),
      ...(state === 'ENABLED' ? {} : { disabledDate: isoDay(enabledDay + 30 + Math.floor(random() * 300)) }),
    });
  }

  const groups: SeedGroup[] = [];
  for (let i = 0; i < groupCount; i++) {
    const base = i < DEPARTMENTS.length ? DEPARTMENTS[i]! : `${pick(random, DEPARTMENTS)}-${pick(random, TEAM_SUFFIXES)}`;
    const name = uniqueName(base);
    const members = new Set<string>();
    const memberCount = userCount === 0 ? 0 : 2 + Math.floor(random() * Math.min(40, userCount));
    for (let m = 0; m < memberCount; m++) members.add(users[Math.floor(random() * userCount)]!.id);
    // Nest only into earlier groups, which keeps the membership graph acyclic.
    if (i > 0 && random() < 0.3) members.add(groups[Math.floor(random() * i)]!.id);
    const roll = random();
    groups.push({
      id: uuid(random),
      name,
      email: `${name}@${domain}`,
      state: roll < 0.03 ? 'DISABLED' : roll < 0.04 ? 'DELETED' : 'ENABLED',
      members: [...members],
      enabledDate: isoDay(Math.floor(random() * 1200)),
    });
  }

  const resources: SeedResource[] = [];
  for (let i = 0; i < resourceCount; i++) {
    const isRoom = random() < 0.7;
    const base = isRoom ? `room-${pick(random, ROOM_NAMES)}` : pick(random, EQUIPMENT_NAMES);
    const name = uniqueName(base);
    resources.push({
      id: `r-${hex(random, 32)}`,
      name,
      email: `${name}@${domain}`,
      type: isRoom ? 'ROOM' : 'EQUIPMENT',
      state: random() < 0.05 ? 'DISABLED' : 'ENABLED',
      description: isRoom ? `Meeting room ${name.slice(5)}` : `Shared ${name}`,
      enabledDate: isoDay(Math.floor(random() * 1200)),
    });
  }

  const grants = new Map<string, SeedGrant>();
  const mailboxCount = userCount + resourceCount;
  const granteeCount = userCount + groupCount;
  // Bounded attempts: a tiny directory may not have grantCount distinct pairs.
  for (let attempt = 0; grants.size < grantCount && attempt < grantCount * 3 && mailboxCount > 0 && granteeCount > 0; attempt++) {
    const m = Math.floor(random() * mailboxCount);
    const mailbox = m < userCount ? users[m]!.id : resources[m - userCount]!.id;
    const unknownRoll = random();
    let grantee: string;
    let granteeType: 'USER' | 'GROUP' | undefined;
    if (unknownRoll < 0.005) {
      grantee = uuid(random); // someone no longer in the directory
      granteeType = 'USER';
    } else {
      const g = Math.floor(random() * granteeCount);
      grantee = g < userCount ? users[g]!.id : groups[g - userCount]!.id;
    }
    if (grantee === mailbox) continue;
    const rights = ALL_RIGHTS.filter(() => random() < 0.5);
    if (rights.length === 0) rights.push(pick(random, ALL_RIGHTS));
    const key = `${mailbox}|${grantee}`;
    if (grants.has(key)) continue;
    // A user without a mailbox has no permissions to give (drawn all the same, to keep the sequence).
    if (m < userCount && users[m]!.email === undefined) continue;
    grants.set(key, granteeType ? { mailbox, grantee, rights, granteeType } : { mailbox, grantee, rights });
  }

  return { users, groups, resources, grants: [...grants.values()], ...generateRoutes(users, groups, resources, options.seed), aliases: generateAliases(users, groups, resources, domain) };
}

/**
 * Aliases without a random draw (every stream stays as it was): every 25th user with an address a
 * short one (`james12@`, no dot, so no generated user's address), every 100th also one on the
 * organization's `mail.` subdomain; every 5th group a `-team` address; every 3rd resource a
 * `-booking` address. No generated name ends in `-team` or `-booking`, so none is used twice.
 */
function generateAliases(users: readonly SeedUser[], groups: readonly SeedGroup[], resources: readonly SeedResource[], domain: string): GeneratedDirectory['aliases'] {
  const out: Array<{ entity: string; aliases: string[] }> = [];
  users.forEach((user, i) => {
    if (!user.email || i % 25 !== 3) return;
    const short = `${(user.firstName ?? 'user').toLowerCase().replace(/[^a-z0-9]/g, '')}${i}@${domain}`;
    out.push({ entity: user.id, aliases: i % 100 === 3 ? [short, `${user.name}@mail.${domain}`] : [short] });
  });
  groups.forEach((group, i) => {
    if (group.email && i % 5 === 1) out.push({ entity: group.id, aliases: [`${group.name}-team@${domain}`] });
  });
  resources.forEach((resource, i) => {
    if (resource.email && i % 3 === 0) out.push({ entity: resource.id, aliases: [`${resource.name}-booking@${domain}`] });
  });
  return out;
}

/** Mixed into the seed for the routes' own stream, so the directory's stream stays as it was. */
const ROUTES_STREAM = 0x27a0e5;

/**
 * Booking, impersonation roles and access rules for a generated directory. They come from a random
 * stream of their own: the users, groups, resources and grants drawn before them are byte for byte
 * what they were before the routes existed. Resources cycle through four shapes, so any directory
 * with three resources holds each: a user and a group delegate; automatic acceptance off with one
 * delegate; the two auto-decline options turned over; now and then one delegate. Three roles: an
 * archiver (READ_ONLY, ALLOW everyone, DENY one director), one department's FULL_ACCESS sync (up to
 * 100 of its people, ten a rule), an e-discovery role (ALLOW with NotTargetUsers: legal). Rules: the
 * default, a DENY of IMAP from outside 10.0.0.0/8, a DENY of WebMail for one user.
 */
function generateRoutes(users: readonly SeedUser[], groups: readonly SeedGroup[], resources: readonly SeedResource[], seed: number): Pick<GeneratedDirectory, 'booking' | 'impersonationRoles' | 'accessControlRules'> {
  const random = seededRandom((seed ^ ROUTES_STREAM) >>> 0);
  const people = users.filter((u) => u.state === 'ENABLED' && u.email !== undefined && u.role !== 'SYSTEM_USER');
  const teams = groups.filter((g) => g.state === 'ENABLED');
  if (people.length === 0) return { booking: [], impersonationRoles: [], accessControlRules: [{ ...DEFAULT_ACCESS_RULE }] };

  const booking: SeedResourceBooking[] = [];
  resources.forEach((resource, i) => {
    const person = pick(random, people).id;
    switch (i % 4) {
      case 0:
        booking.push({ resource: resource.id, delegates: teams.length > 0 ? [person, pick(random, teams).id] : [person] });
        break;
      case 1:
        booking.push({ resource: resource.id, autoAcceptRequests: false, delegates: [person] });
        break;
      case 2:
        booking.push({ resource: resource.id, autoDeclineRecurringRequests: true, autoDeclineConflictingRequests: false });
        break;
      default:
        if (random() < 0.5) booking.push({ resource: resource.id, delegates: [person] });
    }
  });

  const created = (): string => isoDay(1200 + Math.floor(random() * 200));
  const executive = people.find((u) => u.jobTitle === 'Director') ?? people[0]!;
  const department = pick(random, DEPARTMENTS);
  const team = people.filter((u) => u.department === department).slice(0, 100);
  const members = team.length > 0 ? team : [people[0]!];
  const teamRules: SeedImpersonationRule[] = [];
  for (let k = 0; k < members.length; k += 10) {
    teamRules.push({ id: `team-${k / 10 + 1}`, name: `${department} ${k / 10 + 1}`, effect: 'ALLOW', targetUsers: members.slice(k, k + 10).map((u) => u.id) });
  }
  const legal = people.filter((u) => u.department === 'legal').slice(0, 10);
  const excluded = legal.length > 0 ? legal : [pick(random, people)];
  const impersonationRoles: SeedImpersonationRole[] = [
    {
      id: uuid(random),
      name: 'Mail archiver',
      type: 'READ_ONLY',
      description: 'Journal archive, reads every mailbox over EWS',
      rules: [
        { id: 'everyone', name: 'Everyone', effect: 'ALLOW' },
        { id: 'not-the-executive', name: 'Not the executive', effect: 'DENY', targetUsers: [executive.id] },
      ],
      dateCreated: created(),
    },
    { id: uuid(random), name: `${department} sync`, type: 'FULL_ACCESS', rules: teamRules, dateCreated: created() },
    {
      id: uuid(random),
      name: 'E-discovery search',
      type: 'READ_ONLY',
      rules: [{ id: 'all-but-legal', name: 'Everyone but Legal', effect: 'ALLOW', notTargetUsers: excluded.map((u) => u.id) }],
      dateCreated: created(),
    },
  ];

  const webmailless = pick(random, people);
  const accessControlRules: SeedAccessControlRule[] = [
    { ...DEFAULT_ACCESS_RULE },
    { name: 'imap-office-only', effect: 'DENY', description: 'IMAP only from the office network', actions: ['IMAP'], notIpRanges: ['10.0.0.0/8'], dateCreated: created() },
    {
      name: `no-webmail-${webmailless.name.replace(/[^a-zA-Z0-9_-]/g, '-')}`.slice(0, 64),
      effect: 'DENY',
      description: `No WebMail for ${webmailless.name}`,
      actions: ['WebMail'],
      userIds: [webmailless.id],
      dateCreated: created(),
    },
  ];
  return { booking, impersonationRoles, accessControlRules };
}

/** Accounts and keys of the sample seed (docs/CONTRACTS.md), with no organizations. */
export function defaultAccounts(): SeedAccount[] {
  return [
    {
      id: '111122223333',
      name: 'default',
      accessKeys: [
        { accessKeyId: 'AKIDWORKMAILEMULATOR', secretAccessKey: 'emulator-secret-do-not-use-in-aws' },
        { accessKeyId: 'ASIAWORKMAILEMULATOR', secretAccessKey: 'emulator-temp-secret', sessionToken: 'emulator-session-token' },
      ],
    },
    {
      id: '444455556666',
      name: 'other',
      accessKeys: [{ accessKeyId: 'AKIDWORKMAILOTHERACCT', secretAccessKey: 'emulator-other-secret-do-not-use' }],
    },
  ];
}

export const GENERATED_ORG_ID = 'm-9e0e7a7ed0000000000000000000000a';

/** A whole seed document with one generated us-east-1 organization, for `--generate N`. */
export function generatedSeedDocument(users: number, seed = 1): SeedDocument {
  const [defaultAccount, ...others] = defaultAccounts();
  return {
    accounts: [
      {
        ...defaultAccount!,
        organizations: [
          {
            id: GENERATED_ORG_ID,
            alias: 'generated',
            region: 'us-east-1',
            state: 'Active',
            defaultMailDomain: 'generated.example.com',
            generate: { users, seed },
          },
        ],
      },
      ...others,
    ],
  };
}

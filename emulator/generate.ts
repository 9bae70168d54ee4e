// Deterministic directory generator: the same options always give the same users, groups,
// resources and grants (IDs included), so benchmarks and tests can name what they expect.
import type { GenerateOptions, SeedAccount, SeedDocument, SeedGrant, SeedGroup, SeedResource, SeedRight, SeedUser } from './seedDocument';

export type { GenerateOptions } from './seedDocument';
import { seededRandom } from './faults';

export interface GeneratedDirectory {
  readonly users: SeedUser[];
  readonly groups: SeedGroup[];
  readonly resources: SeedResource[];
  readonly grants: SeedGrant[];
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

  return { users, groups, resources, grants: [...grants.values()] };
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

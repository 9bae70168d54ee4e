// Where WorkMail's documentation is silent and the product depends on the answer, the emulator
// offers each plausible behaviour as a variant, so the product can be tested under each
// (docs/EMULATOR.md, "Variants", gives the evidence for every side). The defaults are the
// emulator's long-standing choices.

/**
 * Mailbox permissions and the directory. The product is tested under every value of each
 * (test/workmail/variants.test.ts walks this table).
 */
export const VARIANTS = {
  /** DeleteMailboxPermissions for a grantee ID no longer in the directory (the stale-grant clean-up relies on it). */
  'orphan-delete': ['succeeds', 'not-found'],
  /** ListMailboxPermissions on a user that has no mailbox (no primary email: never registered, system users). */
  'mailboxless-list': ['lists', 'entity-state-error'],
  /** DescribeUser called with a group's ID (the look-up falls through to groups only on EntityNotFoundException). */
  'describe-user-of-group': ['not-found', 'invalid-parameter'],
  /** Whether a group grantee can hold FULL_ACCESS on a user's mailbox. */
  'group-grantee-full-access': ['allowed', 'refused'],
  /**
   * Which identifier ListMailboxPermissions reports for a grantee: the entity's own ID whatever form
   * the Put named it by, or the form the Put was given (an ID, a name or an email address).
   */
  'grantee-id-form': ['as-stored', 'as-given'],
  /**
   * Directory changes (an entity enabled, disabled, deleted or created) seen by every WorkMail call
   * at once, or only DIRECTORY_LAG_MS later (until then calls see the entity as it was).
   */
  'directory-lag': ['none', 'lagging'],
  /** Whether the name, display-name and email prefix filters of ListUsers/ListGroups/ListResources ignore case. */
  'list-filter-case': ['insensitive', 'sensitive'],
} as const;

/**
 * The other routes into a mailbox (booking delegates, impersonation roles, access control rules:
 * ../shared/notes/access-routes.md, issue 27), one for each point nothing documents. The product
 * reads these routes and writes booking delegates, and is tested under every value of each
 * (test/workmail/variants.test.ts walks this table too, over the sample organization).
 */
export const ROUTE_VARIANTS = {
  /** How GetAccessControlEffect combines the ALLOW and DENY rules that match: any DENY wins, or the first match in list order decides. */
  'access-rule-combination': ['deny-wins', 'first-match'],
  /**
   * How many access control rules an organization holds: 10 (an 11th name is refused with
   * LimitExceededException), or 20, of which ListAccessControlRules returns only the first 10 (its
   * modelled maximum) while GetAccessControlEffect evaluates them all.
   */
  'access-rule-limit': ['10', '20'],
  /** AssociateDelegateToResource while the resource accepts requests automatically: allowed, or refused (EntityStateException). */
  'delegate-with-auto-accept': ['allowed', 'refused'],
  /** DisassociateDelegateFromResource of the last delegate of a resource that does not accept automatically: allowed, or refused (InvalidConfigurationException). */
  'last-delegate-removal': ['allowed', 'refused'],
  /** The auto-decline flags while AutoAcceptRequests is false: kept as set, or cleared (DescribeResource reports them false). */
  'auto-decline-without-auto-accept': ['kept', 'cleared'],
  /** Who receives the booking requests of a group delegate (ground truth only: no call shows it): every member, nested groups expanded, or no member. */
  'group-delegate-members': ['every-member', 'no-member'],
  /** What UpdateResource does with a member the request leaves out: resets it (no description, not hidden, the booking options of a new resource), or keeps it. */
  'update-resource-omitted': ['reset', 'kept'],
} as const;

/** Every variant the emulator serves. */
export const ALL_VARIANTS = { ...VARIANTS, ...ROUTE_VARIANTS } as const;

/** How long a directory change stays invisible under directory-lag=lagging: the Terraform provider's propagation timeout. */
export const DIRECTORY_LAG_MS = 120_000;

/** A variant of mailbox permissions or the directory (the product's matrix). */
export type VariantName = keyof typeof VARIANTS;
/** A variant of the other routes into a mailbox. */
export type RouteVariantName = keyof typeof ROUTE_VARIANTS;
export type AnyVariantName = keyof typeof ALL_VARIANTS;
export type Variants = { readonly [N in AnyVariantName]: (typeof ALL_VARIANTS)[N][number] };

export const DEFAULT_VARIANTS: Variants = {
  'orphan-delete': 'succeeds',
  'mailboxless-list': 'lists',
  'describe-user-of-group': 'not-found',
  'group-grantee-full-access': 'allowed',
  'grantee-id-form': 'as-stored',
  'directory-lag': 'none',
  'list-filter-case': 'insensitive',
  'access-rule-combination': 'deny-wins',
  'access-rule-limit': '10',
  'delegate-with-auto-accept': 'allowed',
  'last-delegate-removal': 'allowed',
  'auto-decline-without-auto-accept': 'kept',
  'group-delegate-members': 'every-member',
  'update-resource-omitted': 'reset',
};

export class InvalidVariantError extends Error {}

/** The defaults with `chosen` applied; an unknown name or value is refused with the choices. */
export function resolveVariants(chosen: Readonly<Record<string, string>> = {}): Variants {
  const result: Record<string, string> = { ...DEFAULT_VARIANTS };
  for (const [name, value] of Object.entries(chosen)) {
    const allowed = (ALL_VARIANTS as Record<string, readonly string[]>)[name];
    if (!allowed) {
      throw new InvalidVariantError(`Unknown variant "${name}"; known: ${Object.keys(ALL_VARIANTS).join(', ')}.`);
    }
    if (!allowed.includes(value)) {
      throw new InvalidVariantError(`Variant ${name} is one of ${allowed.join(', ')}; got "${value}".`);
    }
    result[name] = value;
  }
  return result as Variants;
}

/** `name=value` (the command-line form) to a record; throws with the expected form otherwise. */
export function parseVariantFlag(flag: string): [string, string] {
  const match = /^([a-z-]+)=([a-z0-9-]+)$/.exec(flag.trim());
  if (!match) {
    throw new InvalidVariantError(`--variant takes NAME=VALUE (for example orphan-delete=not-found); got "${flag}".`);
  }
  return [match[1] as string, match[2] as string];
}

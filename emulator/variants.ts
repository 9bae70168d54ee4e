// Where WorkMail's documentation is silent and the product depends on the answer, the emulator
// offers each plausible behaviour as a variant, so the product can be tested under each
// (docs/EMULATOR.md, "Variants", gives the evidence for every side). The defaults are the
// emulator's long-standing choices.

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

/** How long a directory change stays invisible under directory-lag=lagging: the Terraform provider's propagation timeout. */
export const DIRECTORY_LAG_MS = 120_000;

export type VariantName = keyof typeof VARIANTS;
export type Variants = { readonly [N in VariantName]: (typeof VARIANTS)[N][number] };

export const DEFAULT_VARIANTS: Variants = {
  'orphan-delete': 'succeeds',
  'mailboxless-list': 'lists',
  'describe-user-of-group': 'not-found',
  'group-grantee-full-access': 'allowed',
  'grantee-id-form': 'as-stored',
  'directory-lag': 'none',
  'list-filter-case': 'insensitive',
};

export class InvalidVariantError extends Error {}

/** The defaults with `chosen` applied; an unknown name or value is refused with the choices. */
export function resolveVariants(chosen: Readonly<Record<string, string>> = {}): Variants {
  const result: Record<string, string> = { ...DEFAULT_VARIANTS };
  for (const [name, value] of Object.entries(chosen)) {
    const allowed = (VARIANTS as Record<string, readonly string[]>)[name];
    if (!allowed) {
      throw new InvalidVariantError(`Unknown variant "${name}"; known: ${Object.keys(VARIANTS).join(', ')}.`);
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
  const match = /^([a-z-]+)=([a-z-]+)$/.exec(flag.trim());
  if (!match) {
    throw new InvalidVariantError(`--variant takes NAME=VALUE (for example orphan-delete=not-found); got "${flag}".`);
  }
  return [match[1] as string, match[2] as string];
}

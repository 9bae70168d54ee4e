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
} as const;

export type VariantName = keyof typeof VARIANTS;
export type Variants = { readonly [N in VariantName]: (typeof VARIANTS)[N][number] };

export const DEFAULT_VARIANTS: Variants = {
  'orphan-delete': 'succeeds',
  'mailboxless-list': 'lists',
  'describe-user-of-group': 'not-found',
  'group-grantee-full-access': 'allowed',
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

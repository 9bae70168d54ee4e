// Input checks that mirror the API model's own constraints, so a typo is caught with a clear
// message before any call. The constraints come from model-constraints.json, which a unit test
// keeps identical to emulator/model/service-2.json.
import constraints from './model-constraints.json';

export type IdentifierKind = 'OrganizationId' | 'EntityIdentifier' | 'Email';

const LABELS: Record<IdentifierKind, { label: string; expected: string }> = {
  OrganizationId: { label: 'An organization ID', expected: 'looks like m- followed by 32 hexadecimal digits' },
  EntityIdentifier: { label: 'A user, group or resource', expected: 'is an ID, name or email address using only letters, digits and . _ % + @ -' },
  Email: { label: 'An email address', expected: 'looks like name@example.com' },
};

// The model's patterns are matched against the whole value by the service.
const PATTERNS: Record<IdentifierKind, RegExp> = {
  OrganizationId: new RegExp(`^(?:${constraints.OrganizationId.pattern})$`),
  EntityIdentifier: new RegExp(`^(?:${constraints.EntityIdentifier.pattern})$`),
  Email: new RegExp(`^(?:${constraints.Email.pattern})$`),
};

/** A message for people when `value` cannot be a valid `kind`, otherwise undefined. */
export function validateIdentifier(kind: IdentifierKind, value: string): string | undefined {
  const { min, max } = constraints[kind];
  const { label, expected } = LABELS[kind];
  if (value.length === 0) {
    return `${label} is required.`;
  }
  if (value.length < min || value.length > max) {
    return min === max
      ? `${label} is exactly ${min} characters and ${expected}; this one has ${value.length}.`
      : `${label} is ${min} to ${max} characters long; this one has ${value.length}.`;
  }
  if (!PATTERNS[kind].test(value)) {
    return `${label} ${expected}: "${value}" is not valid.`;
  }
  return undefined;
}

// The ID shapes WorkMail reports (documentation and the AWS CLI's examples): users and groups as a
// GUID or `S-1-...`, resources as `r-` and 32 hex digits. A name or an alias never looks like one.
const ENTITY_ID_SHAPES = [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, /^S-1-[0-9]+(?:-[0-9]+)+$/i, /^r-[0-9a-f]{32}$/];

/**
 * True when `value` has the shape of an entity ID rather than a name or an email address. The
 * write path resolves anything else to the ID first: Put accepts a name, List reports IDs only.
 */
export function looksLikeEntityId(value: string): boolean {
  return ENTITY_ID_SHAPES.some((shape) => shape.test(value));
}

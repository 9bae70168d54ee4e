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

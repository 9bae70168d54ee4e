// The JSON Schema of the snapshot file, generated from the validator (dev-time only: the converter
// is a dev dependency, so it stays out of the bundles). Used by scripts/snapshot-schema.ts to write
// schemas/snapshot.schema.json and by the test that checks the committed file.
import { toJsonSchema } from '@valibot/to-json-schema';
import { SNAPSHOT_SCHEMA } from '../../../src/workmail/migration/snapshotSchema';

export function snapshotJsonSchema(): Record<string, unknown> {
  // typeMode 'input': what a file may contain. Unknown fields are allowed (see docs/SNAPSHOT.md).
  const schema = toJsonSchema(SNAPSHOT_SCHEMA, { typeMode: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return allowUnknownFields(schema) as Record<string, unknown>;
}

/** The converter writes additionalProperties: false for plain objects; the reader ignores unknown fields instead. */
function allowUnknownFields(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(allowUnknownFields);
  }
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'additionalProperties' || value !== false) {
        out[key] = allowUnknownFields(value);
      }
    }
    return out;
  }
  return node;
}

// The JSON Schema of change files, generated from the validator (dev-time only: the converter is a
// dev dependency). Used by scripts/changes-schema.ts and by the test that checks the committed file;
// package.json contributes it (jsonValidation) so editing a change file gives completion and errors.
import { toJsonSchema } from '@valibot/to-json-schema';
import { CHANGE_FILE_SCHEMA } from '../../../src/workmail/changes/changeFile';

export function changeFileJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(CHANGE_FILE_SCHEMA, { typeMode: 'input', target: 'draft-07', errorMode: 'ignore' }) as Record<string, unknown>;
  return { ...schema, title: 'WorkMail Permissions change file', description: 'Mailbox permission changes to plan and apply (workmail-permissions plan/apply, or the Plan and Apply CodeLenses).' };
}

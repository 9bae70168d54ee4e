// Writes schemas/changes.schema.json from the validator parseChangeFile uses
// (src/workmail/changes/changeFile.ts), so the two cannot drift: the unit test
// test/workmail/changes/changeFile.test.ts fails when the committed file differs.
// Run: npx tsx scripts/changes-schema.ts
import fs from 'node:fs';
import path from 'node:path';
import { changeFileJsonSchema } from '../test/workmail/changes/jsonSchema';

const file = path.join(__dirname, '..', 'schemas', 'changes.schema.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(changeFileJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);

// Writes schemas/snapshot.schema.json from the validator readSnapshot uses
// (src/workmail/migration/snapshotSchema.ts), so the two cannot drift: the unit test
// test/workmail/migration/snapshot.test.ts fails when the committed file differs.
// Run: npx tsx scripts/snapshot-schema.ts
import fs from 'node:fs';
import path from 'node:path';
import { snapshotJsonSchema } from '../test/workmail/migration/jsonSchema';

const file = path.join(__dirname, '..', 'schemas', 'snapshot.schema.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);

// Change files as people write them: by hand in an editor, exported from a spreadsheet (BOM, CRLF,
// quoted cells, upper case), and wrong in every way a file can be wrong, each named by file, line
// and column.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ChangeFileError, parseChangeFile } from '../../../src/workmail/changes/changeFile';
import { changeFileJsonSchema } from './jsonSchema';

function problems(text: string, file: string): string {
  try {
    parseChangeFile(text, file);
  } catch (err) {
    assert.ok(err instanceof ChangeFileError, `a ChangeFileError, not ${String(err)}`);
    assert.match(err.message, /nothing was read or changed/);
    return err.message;
  }
  assert.fail('the file was accepted');
}

describe('change files', () => {
  it('reads a spreadsheet export: BOM, CRLF, comments, quoted cells, any case, rights in one cell', () => {
    const text = '\ufeffAction,Mailbox,Grantee,Rights,Organization\r\n# reviewed by ops\r\nGRANT,alice@example.com,bob@example.com,send_as,acme\r\nset,"shared, inbox",sales,"FULL_ACCESS; SEND_AS",\r\nrevoke,alice@example.com,carol,,\r\n';
    const file = parseChangeFile(text, 'changes.csv');
    assert.equal(file.format, 'csv');
    assert.deepEqual(
      file.lines.map((l) => [l.line, l.action, l.mailbox, l.grantee, l.rights.join('+'), l.organization ?? '']),
      [
        [3, 'grant', 'alice@example.com', 'bob@example.com', 'SEND_AS', 'acme'],
        [4, 'set', 'shared, inbox', 'sales', 'FULL_ACCESS+SEND_AS', ''],
        [5, 'revoke', 'alice@example.com', 'carol', '', ''],
      ],
    );
  });

  it('names file, line and column of every wrong cell in a CSV, and accepts none of it', () => {
    const message = problems('action,mailbox,grantee,rights\ngrant,a,b,\nmove,a,b,SEND_AS\ngrant,,b,READ\nset,a,b,SEND_AS,extra\n', 'wrong.csv');
    assert.match(message, /^wrong\.csv cannot be planned/);
    assert.match(message, /line 2, column 4: grant needs at least one right/);
    assert.match(message, /line 3, column 1: "move" is not an action \(grant, set, revoke, delegate, undelegate\)/);
    assert.match(message, /line 4, column 2: the mailbox is empty/);
    assert.match(message, /line 4, column 4: "READ" is not a right/);
    assert.match(message, /line 5, column 5: more cells than columns/);
  });

  it('refuses a CSV without the columns it needs, or with unknown ones, naming them', () => {
    assert.match(problems('mailbox,grantee,rights\n', 'a.csv'), /line 1: no "action" column/);
    assert.match(problems('action,mailbox,grantee,rights,note\n', 'a.csv'), /line 1, column 5: unknown column "note"/);
    assert.match(problems('', 'a.csv'), /the file is empty/);
    assert.match(problems('action,mailbox,grantee,rights\ngrant,"a,b,SEND_AS\n', 'a.csv'), /line \d+: .*quote/i);
  });

  it('reads a JSON change file with comments and trailing commas, lines where each change starts', () => {
    const text = '{\n  // the quarterly review\n  "organization": "acme",\n  "changes": [\n    { "action": "grant", "mailbox": "a@x.com", "grantee": "b@x.com", "rights": ["SEND_AS"] },\n    {\n      "action": "revoke", "mailbox": "a@x.com", "grantee": "c@x.com",\n    },\n  ],\n}\n';
    const file = parseChangeFile(text, 'review.json');
    assert.equal(file.organization, 'acme');
    assert.deepEqual(file.lines.map((l) => [l.line, l.action, l.rights.length]), [
      [5, 'grant', 1],
      [6, 'revoke', 0],
    ]);
  });

  it('names the line, column and field of every wrong value in JSON', () => {
    const message = problems('{"changes":[\n {"action":"grant","mailbox":"a","grantee":"b","rights":["SEND_AS"]},\n {"action":"nope","mailbox":"a","rights":["READ"]}\n]}', 'c.json');
    assert.match(message, /line 3, column 12: changes\[1\]\.action: "nope" is not an action/);
    assert.match(message, /line 3, column 2: changes\[1\]\.grantee: missing/);
    assert.match(message, /line 3, column 43: changes\[1\]\.rights\[0\]: "READ" is not a right/);
    assert.match(problems('{"changes":[', 'c.json'), /line 1, column 13: /);
    assert.match(problems('{"changes":[{"action":"set","mailbox":"a","grantee":"b","rights":[]}]}', 'c.json'), /changes\[0\]\.rights: set needs at least one right/);
    assert.match(problems('[]', 'c.json'), /line 1, column 1: changes: missing/);
    assert.match(problems('"text"', 'c.json'), /is not a change file/);
  });

  it('refuses a file that is neither .csv nor .json', () => {
    assert.match(problems('x', 'changes.txt'), /must end in \.csv or \.json/);
  });

  it('schemas/changes.schema.json is generated from the validator', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schemas', 'changes.schema.json'), 'utf8'));
    assert.deepEqual(committed, changeFileJsonSchema(), 'run `npx tsx scripts/changes-schema.ts` and commit schemas/changes.schema.json');
  });
});

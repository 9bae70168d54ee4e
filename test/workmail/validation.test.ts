import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIdentifier } from '../../src/workmail/validation';

const root = join(__dirname, '..', '..');
const constraintsPath = join(root, 'src', 'workmail', 'model-constraints.json');

/** What model-constraints.json must hold, computed from the official model. */
function constraintsFromModel(): unknown {
  const model = JSON.parse(readFileSync(join(root, 'emulator', 'model', 'service-2.json'), 'utf8')) as {
    shapes: Record<string, { min?: number; max?: number; pattern?: string }>;
  };
  const pick = (shape: string) => ({ shape, min: model.shapes[shape].min, max: model.shapes[shape].max, pattern: model.shapes[shape].pattern });
  return { OrganizationId: pick('OrganizationId'), EntityIdentifier: pick('EntityIdentifier'), Email: pick('EmailAddress') };
}

describe('validation', () => {
  it('model-constraints.json says exactly what the API model says', () => {
    const expected = constraintsFromModel();
    if (process.env.UPDATE_MODEL_CONSTRAINTS === '1') {
      writeFileSync(constraintsPath, `${JSON.stringify(expected, null, 2)}\n`);
    }
    assert.deepEqual(JSON.parse(readFileSync(constraintsPath, 'utf8')), expected);
  });

  it('accepts well-formed values', () => {
    assert.equal(validateIdentifier('OrganizationId', 'm-0123456789abcdef0123456789abcdef'), undefined);
    assert.equal(validateIdentifier('EntityIdentifier', '12345678-1234-1234-1234-123456789012'), undefined);
    assert.equal(validateIdentifier('EntityIdentifier', 'S-1-1-12-1234567890-123456789-123456789-1234'), undefined);
    assert.equal(validateIdentifier('EntityIdentifier', 'ana.silva'), undefined);
    assert.equal(validateIdentifier('Email', 'ana.silva@example.com'), undefined);
  });

  it('explains what is wrong with a malformed organization ID', () => {
    assert.match(validateIdentifier('OrganizationId', 'm-123') ?? '', /34 characters/);
    assert.match(validateIdentifier('OrganizationId', 'm-0123456789ABCDEF0123456789abcdef') ?? '', /hexadecimal/);
    assert.match(validateIdentifier('OrganizationId', '') ?? '', /required/);
  });

  it('applies the model pattern to the whole value, not a part of it', () => {
    assert.notEqual(validateIdentifier('EntityIdentifier', 'Ana Silva'), undefined);
    assert.notEqual(validateIdentifier('EntityIdentifier', 'ana/../x'), undefined);
    assert.notEqual(validateIdentifier('Email', 'not an email'), undefined);
    assert.notEqual(validateIdentifier('Email', 'ana@localhost'), undefined);
  });

  it('enforces the model length bounds', () => {
    assert.match(validateIdentifier('EntityIdentifier', 'a'.repeat(257)) ?? '', /1 to 256/);
    assert.equal(validateIdentifier('EntityIdentifier', 'a'.repeat(256)), undefined);
  });
});

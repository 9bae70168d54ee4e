// Request validation driven entirely by the official API model (emulator/model/service-2.json).
// No constraint is written by hand here: if AWS changes a pattern or a range, updating the model
// file is the whole change.
import fs from 'node:fs';
import path from 'node:path';

export interface ShapeRef {
  readonly shape: string;
}

export interface Shape {
  readonly type: string;
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly required?: readonly string[];
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
}

export interface OperationModel {
  readonly name: string;
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
  readonly errors?: readonly ShapeRef[];
}

export interface ServiceModel {
  readonly metadata: { readonly targetPrefix: string; readonly jsonVersion: string; readonly signingName?: string };
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

export const DEFAULT_MODEL_PATH = path.join(__dirname, 'model', 'service-2.json');

export function loadServiceModel(file: string = DEFAULT_MODEL_PATH): ServiceModel {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceModel;
}

/** AWS reports member paths in lowerCamelCase ("organizationId", "filters.usernamePrefix"). */
function memberPathSegment(memberName: string): string {
  return memberName.charAt(0).toLowerCase() + memberName.slice(1);
}

function describeValue(value: unknown, sensitive: boolean): string {
  if (sensitive) return '';
  if (value === null || value === undefined) return ' null';
  if (typeof value === 'string') {
    const shown = value.length > 100 ? `${value.slice(0, 100)}...` : value;
    return ` '${shown}'`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return ` '${String(value)}'`;
  return '';
}

export class RequestValidator {
  private readonly compiledPatterns = new Map<string, RegExp | null>();

  constructor(private readonly model: ServiceModel) {}

  hasOperation(operation: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.model.operations, operation);
  }

  /** Every constraint violation in the input, each naming the member path. Empty when valid. */
  validate(operation: string, input: unknown): string[] {
    const op = this.model.operations[operation];
    if (!op) throw new Error(`Operation ${operation} is not in the model`);
    const violations: string[] = [];
    if (op.input) this.check(op.input.shape, input ?? {}, '', violations, false);
    return violations;
  }

  private pattern(source: string): RegExp | null {
    let compiled = this.compiledPatterns.get(source);
    if (compiled === undefined) {
      try {
        // AWS validates patterns against the whole value.
        compiled = new RegExp(`^(?:${source})$`);
      } catch {
        compiled = null;
      }
      this.compiledPatterns.set(source, compiled);
    }
    return compiled;
  }

  private check(shapeName: string, value: unknown, at: string, out: string[], inheritedSensitive: boolean): void {
    const shape = this.model.shapes[shapeName];
    if (!shape) return;
    const sensitive = inheritedSensitive || shape.sensitive === true;
    const fail = (constraint: string): void => {
      const where = at === '' ? 'the request' : `'${at}'`;
      out.push(`Value${describeValue(value, sensitive)} at ${where} failed to satisfy constraint: ${constraint}`);
    };
    switch (shape.type) {
      case 'structure': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail('Member must be a structure');
          return;
        }
        const record = value as Record<string, unknown>;
        for (const requiredName of shape.required ?? []) {
          const v = record[requiredName];
          if (v === undefined || v === null) {
            out.push(`Value null at '${join(at, memberPathSegment(requiredName))}' failed to satisfy constraint: Member must not be null`);
          }
        }
        for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
          const v = record[memberName];
          if (v === undefined || v === null) continue;
          this.check(ref.shape, v, join(at, memberPathSegment(memberName)), out, sensitive);
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) {
          fail('Member must be a list');
          return;
        }
        if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        if (shape.member) {
          value.forEach((item, index) => this.check(shape.member!.shape, item, `${at}.${index + 1}.member`, out, sensitive));
        }
        return;
      }
      case 'map': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail('Member must be a map');
          return;
        }
        const entries = Object.entries(value as Record<string, unknown>);
        if (shape.min !== undefined && entries.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && entries.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        for (const [k, v] of entries) {
          if (shape.key) this.check(shape.key.shape, k, `${at}.${k}.key`, out, sensitive);
          if (shape.value) this.check(shape.value.shape, v, `${at}.${k}.value`, out, sensitive);
        }
        return;
      }
      case 'string': {
        if (typeof value !== 'string') {
          fail('Member must be a string');
          return;
        }
        if (shape.min !== undefined && value.length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && value.length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
        if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        if (shape.pattern) {
          const re = this.pattern(shape.pattern);
          if (re && !re.test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
        }
        return;
      }
      case 'integer':
      case 'long': {
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          fail('Member must be an integer');
          return;
        }
        if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
        if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
        return;
      }
      case 'float':
      case 'double':
        if (typeof value !== 'number') fail('Member must be a number');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') fail('Member must be a boolean');
        return;
      case 'timestamp':
        if (typeof value !== 'number' && typeof value !== 'string') fail('Member must be a timestamp');
        return;
      case 'blob':
        if (typeof value !== 'string') fail('Member must be base64-encoded binary');
        return;
      default:
        return;
    }
  }
}

function join(at: string, segment: string): string {
  return at === '' ? segment : `${at}.${segment}`;
}

/** AWS's wording: "1 validation error detected: ..." / "2 validation errors detected: a; b". */
export function formatValidationMessage(violations: readonly string[]): string {
  const noun = violations.length === 1 ? 'error' : 'errors';
  return `${violations.length} validation ${noun} detected: ${violations.join('; ')}`;
}

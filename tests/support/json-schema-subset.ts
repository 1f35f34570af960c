/**
 * A JSON Schema (draft 2020-12) evaluator for the keywords docs/scenario.schema.json uses, so a test can
 * hold that document and the scenario validator together without a validator library. It answers only
 * valid or not; a keyword it does not implement throws, so the schema cannot drift into untested ground.
 * `format`, `default`, `title`, `description` and `$comment` are annotations (2020-12 §7.2, §9).
 */
type Schema = boolean | Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples', '$comment', 'format', '$defs']);
const KEYWORDS = new Set([
  '$ref', 'type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'dependentRequired', 'minimum',
  'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'pattern', 'items', 'minItems', 'maxItems',
  'uniqueItems', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  return typeOf(value) === type;
}

/** JSON equality, as `const`, `enum` and `uniqueItems` compare. */
function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class JsonSchema {
  constructor(private readonly root: Record<string, unknown>) {}

  valid(value: unknown): boolean {
    return this.check(this.root, value);
  }

  private resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`$ref ${ref} points nowhere`);
    return node as Schema;
  }

  private check(schema: Schema, value: unknown): boolean {
    if (typeof schema === 'boolean') return schema;
    for (const key of Object.keys(schema)) {
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`keyword ${key} is not implemented`);
    }
    return this.checkApplicators(schema, value) && this.checkValue(schema, value) && this.checkObject(schema, value) && this.checkArray(schema, value);
  }

  private checkApplicators(s: Record<string, unknown>, value: unknown): boolean {
    if (s.$ref !== undefined && !this.check(this.resolve(s.$ref as string), value)) return false;
    if (s.allOf !== undefined && !(s.allOf as Schema[]).every((sub) => this.check(sub, value))) return false;
    if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((sub) => this.check(sub, value))) return false;
    if (s.oneOf !== undefined && (s.oneOf as Schema[]).filter((sub) => this.check(sub, value)).length !== 1) return false;
    if (s.not !== undefined && this.check(s.not as Schema, value)) return false;
    if (s.if !== undefined) {
      const branch = this.check(s.if as Schema, value) ? s.then : s.else;
      if (branch !== undefined && !this.check(branch as Schema, value)) return false;
    }
    return true;
  }

  private checkValue(s: Record<string, unknown>, value: unknown): boolean {
    if (s.type !== undefined && !hasType(value, s.type as string)) return false;
    if (s.enum !== undefined && !(s.enum as unknown[]).some((option) => equal(option, value))) return false;
    if (s.const !== undefined && !equal(s.const, value)) return false;
    if (typeof value === 'number') {
      if (s.minimum !== undefined && value < (s.minimum as number)) return false;
      if (s.maximum !== undefined && value > (s.maximum as number)) return false;
      if (s.exclusiveMinimum !== undefined && value <= (s.exclusiveMinimum as number)) return false;
      if (s.exclusiveMaximum !== undefined && value >= (s.exclusiveMaximum as number)) return false;
    }
    if (typeof value === 'string') {
      if (s.minLength !== undefined && [...value].length < (s.minLength as number)) return false;
      if (s.pattern !== undefined && !new RegExp(s.pattern as string, 'u').test(value)) return false;
    }
    return true;
  }

  private checkObject(s: Record<string, unknown>, value: unknown): boolean {
    if (typeOf(value) !== 'object') return true;
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const [key, item] of Object.entries(object)) {
      if (key in properties) {
        if (!this.check(properties[key], item)) return false;
      } else if (s.additionalProperties !== undefined && !this.check(s.additionalProperties as Schema, item)) {
        return false;
      }
    }
    if (s.required !== undefined && !(s.required as string[]).every((key) => key in object)) return false;
    const dependent = (s.dependentRequired ?? {}) as Record<string, string[]>;
    return Object.entries(dependent).every(([key, needs]) => !(key in object) || needs.every((need) => need in object));
  }

  private checkArray(s: Record<string, unknown>, value: unknown): boolean {
    if (!Array.isArray(value)) return true;
    if (s.minItems !== undefined && value.length < (s.minItems as number)) return false;
    if (s.maxItems !== undefined && value.length > (s.maxItems as number)) return false;
    if (s.uniqueItems === true && value.some((item, i) => value.findIndex((other) => equal(other, item)) !== i)) return false;
    return s.items === undefined || value.every((item) => this.check(s.items as Schema, item));
  }
}

/**
 * A validator for the part of JSON Schema (draft 2020-12) that
 * docs/show.schema.json uses, so the test can check `show --json` without a
 * dependency (ajv is requested in /tmp/tsportable-coord/deps-requests.md).
 * It refuses any keyword it does not know, so a schema growing beyond this
 * subset fails loudly instead of being checked halfway.
 */
type Schema = { readonly [keyword: string]: unknown };

const annotations = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const known = new Set([...annotations, 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'minimum', 'minLength', '$ref']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Errors as `path: problem`; empty when `value` is valid. */
export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const m = /^#\/\$defs\/(.+)$/.exec(ref);
    const defs = root.$defs as Record<string, Schema> | undefined;
    const target = m ? defs?.[m[1]!] : undefined;
    if (!target) throw new Error(`schemaSubset: cannot resolve $ref ${ref}`);
    return target;
  };
  const check = (schema: Schema, v: unknown, path: string): void => {
    for (const keyword of Object.keys(schema)) {
      if (!known.has(keyword)) throw new Error(`schemaSubset: keyword '${keyword}' at ${path} is not supported`);
    }
    if (typeof schema.$ref === 'string') check(resolve(schema.$ref), v, path);
    if (typeof schema.type === 'string' && !matchesType(v, schema.type)) {
      errors.push(`${path}: expected ${schema.type}, got ${typeOf(v)}`);
      return;
    }
    if ('const' in schema && JSON.stringify(v) !== JSON.stringify(schema.const)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      errors.push(`${path}: expected one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof schema.minimum === 'number' && typeof v === 'number' && v < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.minLength === 'number' && typeof v === 'string' && [...v].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const name of (schema.required ?? []) as string[]) {
        if (!(name in object)) errors.push(`${path}: missing required '${name}'`);
      }
      for (const [name, item] of Object.entries(object)) {
        if (properties[name]) check(properties[name]!, item, `${path}.${name}`);
        else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property '${name}'`);
      }
    }
    if (Array.isArray(v) && schema.items) v.forEach((item, i) => check(schema.items as Schema, item, `${path}[${i}]`));
  };
  check(root, value, '$');
  return errors;
}

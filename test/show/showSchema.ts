/**
 * Validation of `show --json` output against docs/show.schema.json with ajv
 * (draft 2020-12), the validator editors and scripts would use. Errors come
 * back as `<instance path> <message>` lines so a test failure says where the
 * plan and the schema disagree; an empty list means valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { packageRoot } from '../../src/paths.js';

// ajv is CommonJS: under NodeNext the default import is module.exports, whose
// `default` is the class.
const Ajv2020 = Ajv2020Module.default;

export const showSchema = JSON.parse(readFileSync(join(packageRoot, 'docs', 'show.schema.json'), 'utf8')) as Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const check = ajv.compile(showSchema);

/** Errors as `<path> <problem>` (path '' for the root object); [] when valid. */
export function validatePlan(value: unknown): string[] {
  if (check(value)) return [];
  return (check.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
      : e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}` : '';
    return `${e.instancePath} ${e.message ?? e.keyword}${extra}`.trim();
  });
}

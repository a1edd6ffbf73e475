/**
 * Validation of tsportable's JSON output against its schemas in docs/ with
 * ajv (draft 2020-12), the validator editors and scripts would use:
 * `show --json` against docs/show.schema.json, the `--json` error object
 * against docs/error.schema.json (which refers to show's span). Errors come
 * back as `<instance path> <message>` lines so a test failure says where the
 * value and the schema disagree; an empty list means valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { packageRoot } from '../../src/paths.js';

// ajv is CommonJS: under NodeNext the default import is module.exports, whose
// `default` is the class.
const Ajv2020 = Ajv2020Module.default;

function docsSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(packageRoot, 'docs', name), 'utf8')) as Record<string, unknown>;
}

export const showSchema = docsSchema('show.schema.json');
export const errorSchema = docsSchema('error.schema.json');

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(showSchema);
const checkPlan = ajv.compile(showSchema);
const checkError = ajv.compile(errorSchema);

/** Errors as `<path> <problem>` (path '' for the root object); [] when valid. */
function problems(check: ValidateFunction, value: unknown): string[] {
  if (check(value)) return [];
  return (check.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
      : e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}` : '';
    return `${e.instancePath} ${e.message ?? e.keyword}${extra}`.trim();
  });
}

export const validatePlan = (value: unknown): string[] => problems(checkPlan, value);
export const validateError = (value: unknown): string[] => problems(checkError, value);

/** `tsportable show`: the plan of an image before it is built, its checks and its text and JSON forms. */
export * from './plan.js';
export { checkExecPrograms, checkOsRelease, checkPlan, checkPname, checkUnitNames, withChecks } from './checks.js';
export { renderShow, showPlanToJSON, planWarningWhere } from './render.js';

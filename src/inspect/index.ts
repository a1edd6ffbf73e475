/** `tsportable inspect`: read a portable-service image offline and check it against systemd's rules. */
export { inspectImage, type InspectOptions } from './inspect.js';
export { renderInspect, inspectReportToJSON, findingWhere } from './render.js';
export { findingsOfBuiltImage } from './cachedFindings.js';
export { inspectExitCode, type Finding, type InspectReport, type InspectedUnit, type ImageStorePath, type ImageSymlink } from './report.js';
export type { Superblock } from './superblock.js';
export type { Problem, Severity } from './rules.js';

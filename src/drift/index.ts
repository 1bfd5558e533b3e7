export { runDrift, type DriftOptions, type DriftReport, type DriftRow, type DriftVerdict } from './run.js';
export { renderDrift, summaryLine } from './render.js';
export { PROBES, NEEDS_AN_ENTITY } from './probes.js';

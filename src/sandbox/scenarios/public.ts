/** What the public API shows of scenarios: the file's type, what a load answers, and the error a bad one throws. */
export { ScenarioError } from './errors.js';
export type { ScenarioInput } from './schema.js';
export type { ScenarioControls, ScenarioState } from './controller.js';
export type { ScenarioSummary, CustomerSummary, EntitySummary, AccountSummary } from './apply.js';

/** Simulator scenarios: the file schema, its checks, the built-in layouts and the loader (docs/simulator.md, "Scenarios"). */
export { formatProblem, type ScenarioProblem } from './check.js';
export { BUILT_IN_SCENARIOS, DEFAULT_SCENARIO } from './builtins.js';
export { ScenarioError } from './errors.js';
export { LAYOUT_DEFAULTS, placeLayout, type PlacedNode } from './layouts.js';
export { loadScenario, readScenarioFile } from './load.js';
export { EARTH_RADIUS_M, fromLocal, toLocal, type LocalPoint } from './projection.js';
export { linkBudgetDb, medianRangeM, pocSensitivityDbm } from './reach.js';
export { resolveScenario } from './resolve.js';
export type * from './scenario.js';
export * from './schema.js';
export { validateScenario } from './validate.js';

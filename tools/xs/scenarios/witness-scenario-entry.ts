/** covey-xs entry: the witness scenario (witness-scenario.ts), measured by tools/xs/xs-meter.ts. */
import { installScenario } from './metered-scenario.js';
import { createWitnessScenario } from './witness-scenario.js';

installScenario(createWitnessScenario());

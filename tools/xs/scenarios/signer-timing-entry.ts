/** covey-xs entry: times the device signer (signer-timing.ts). */
import { installScenario } from './metered-scenario.js';
import { createSignerTiming } from './signer-timing.js';

installScenario(createSignerTiming());

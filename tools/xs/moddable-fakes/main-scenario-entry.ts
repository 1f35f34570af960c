/** covey-xs entry: the device entry point on fakes of Moddable's modules (main-scenario.ts). */
import { installScenario } from '../scenarios/metered-scenario.js';
import { createMainScenario } from './main-scenario.js';

installScenario(createMainScenario());

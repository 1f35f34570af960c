/** covey-xs entry: a mapper walking past hotspots (mapper-walk.ts), for tests/xs/mapper-in-xs.test.ts. */
import { installScenario } from '../../../tools/xs/scenarios/metered-scenario.js';
import { createMapperWalk } from './mapper-walk.js';

installScenario(createMapperWalk());

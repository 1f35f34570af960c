/** covey-xs entry: the hotspot scenario (hotspot-scenario.ts), measured by tools/xs/xs-meter.ts. */
import { createHotspotScenario } from './hotspot-scenario.js';
import { installScenario } from './metered-scenario.js';

installScenario(createHotspotScenario());

/** covey-xs entry: three real hotspots on one air (hotspot-network.ts), for tests/xs/hotspots-in-xs.test.ts. */
import { createHotspotNetwork } from './hotspot-network.js';
import { installScenario } from './metered-scenario.js';

installScenario(createHotspotNetwork());

/**
 * covey-xs entry: a Heltec V2 with no settings, booting through hal/moddable/main.ts and provisioned over
 * its console (./moddable-provision.ts). Plain JavaScript for the reason ./moddable-mapper-entry.js gives.
 */
import { createMainScenario } from '../../../tools/xs/moddable-fakes/main-scenario.js';
import { installScenario } from '../../../tools/xs/scenarios/metered-scenario.js';
import { withProvisioningHost } from './moddable-provision.js';

installScenario(withProvisioningHost(createMainScenario()));

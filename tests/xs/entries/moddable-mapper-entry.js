/**
 * covey-xs entry: a T-Beam mapper booting through hal/moddable/main.ts with its console open
 * (./moddable-mapper.ts). Plain JavaScript on purpose: it imports the main scenario, which imports
 * hal/moddable/main.ts, and tsconfig.json (Node's types, not Moddable's) must not take that module in; it
 * leaves out tools/xs/moddable-fakes/main-scenario*.ts for the same reason, and does not read .js files.
 * esbuild bundles it with the rest for the XS tier.
 */
import { createMainScenario } from '../../../tools/xs/moddable-fakes/main-scenario.js';
import { installScenario } from '../../../tools/xs/scenarios/metered-scenario.js';
import { withMapperAndConsole } from './moddable-mapper.js';

installScenario(withMapperAndConsole(createMainScenario()));

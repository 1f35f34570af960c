/** covey-xs script: the walk log's costs (walk-log-probe.ts), printed as one JSON line for tests/xs/walk-log-in-xs.test.ts. */
import { xsHost } from '../../../tools/xs/scenarios/metered-scenario.js';
import { measureWalkLog } from './walk-log-probe.js';

const host = xsHost();
if (host === undefined) throw new Error('walk-log-entry runs in covey-xs');
host.print(JSON.stringify(measureWalkLog(host)));

/**
 * XS entry for tests/xs/sx127x-in-xs.test.ts: the SX127x driver, the SX1276 emulator, TestAir and the
 * virtual clock bundled as the device would bundle the driver, running one exchange per command.
 */
import { serveCommands } from '../../../tools/xs/entries/serve.js';
import { runSx127xExchange, type ExchangeScenario } from './sx127x-exchange.js';

serveCommands({
  exchange: (args) => runSx127xExchange(args.scenario as ExchangeScenario),
});

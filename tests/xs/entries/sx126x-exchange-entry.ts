/**
 * XS entry for tests/xs/sx126x-in-xs.test.ts: the SX126x driver, the SX1262 emulator, TestAir and the
 * virtual clock bundled as the device bundles driver code, running one TX → RX exchange per call.
 */
import { serveCommands } from '../../../tools/xs/entries/serve.js';
import { runSx126xExchange, type ExchangeArgs } from './sx126x-exchange.js';

serveCommands({
  exchange: (args) => runSx126xExchange(args as unknown as ExchangeArgs),
});

/**
 * The T-Beam power-up inside the real XS engine: board registry, AXP192 driver and AXP192 emulator
 * bundled as device code, with the same result the Node suites see (tests/drivers/axp192.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { XsCommandError, XsWorker } from '../../tools/xs/xs-runner.js';

const ENTRY = fileURLToPath(new URL('./entries/axp192-entry.ts', import.meta.url));

let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-axp192' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

test('tbeam_v1 rails come up from its board file inside XS', async () => {
  const { value } = await worker.call('powerUp', { id: 'tbeam_v1' });
  expect(value).toEqual({
    chip: { ldo2: true, ldo3: true, dcdc1: true, ldo23: 0xff },
    driver: { ldo2: { on: true, millivolts: 3300 }, ldo3: { on: true, millivolts: 3300 } },
    mcuPowerLost: false,
    busesOpen: 0,
  });
});

test('an AXP2101 is refused inside XS with the named error', async () => {
  const failure = worker.call('powerUp', { id: 'tbeam_v1', chipId: 0x4a });
  await expect(failure).rejects.toThrow(XsCommandError);
  await expect(failure).rejects.toMatchObject({ remoteName: 'Axp192Error' });
});

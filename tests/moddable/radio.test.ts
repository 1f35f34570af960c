/**
 * openDeviceRadio: the board's radio on `device.io`-shaped classes, here an emulated chip's; on the
 * T-Beam the AXP192's LoRa rail is switched on (emulated AXP192) and 10 ms pass before the first SPI
 * access (SX1276 DS §7.2.1).
 */
import { boardById } from '../../hal/boards/index.js';
import type { Board } from '../../hal/boards/types.js';
import type { SpiClass, SpiOptions } from '../../hal/drivers/ecma419.js';
import { openDeviceRadio, RADIO_POWER_UP_MS, radioRail } from '../../hal/moddable/radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';

function setUp(board: Board, ldo2AlreadyOn = false) {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const emulated = emulateBoardRadio(board, { air, clock });
  const power = new Axp192Chip({ wiring: board.i2c, registers: ldo2AlreadyOn ? { 0x12: 0b0000_0110 } : {} });
  const events: string[] = [];
  const RealSpi = emulated.io.SPI;
  const SPI = function SPI(options: SpiOptions) {
    events.push(`spi opened, ldo2 ${power.railOn('ldo2') ? 'on' : 'off'}`);
    return new RealSpi(options);
  } as unknown as SpiClass;
  const io = { SPI, Digital: emulated.io.Digital, I2C: power.I2C };
  const delay = (ms: number) => events.push(`delay ${ms}`);
  const open = () => openDeviceRadio(board, io, { clock, delay, onError: (error) => events.push(`error ${error.message}`) });
  return { open, events, power, emulated };
}

test('Heltec V2: the SX1276 driver opens on the board\'s pins and leaves the I2C bus alone', () => {
  const { open, events, power } = setUp(boardById('heltec_v2'));
  const radio = open();
  expect(radio.chip).toBe('SX127x');
  expect(events).toEqual(['spi opened, ldo2 off']);
  expect(power.stats.reads + power.stats.writes).toBe(0);
  radio.close();
});

test('Heltec V3: the SX126x driver opens; no power chip, no wait', () => {
  const { open, events } = setUp(boardById('heltec_v3'));
  const radio = open();
  expect(radio.chip).toBe('SX1262');
  expect(events).toEqual(['spi opened, ldo2 off']);
  radio.close();
});

test('T-Beam: LDO2 on at 3.3 V, then the 10 ms power-up wait, then the first SPI access', () => {
  const { open, events, power } = setUp(boardById('tbeam_v1'));
  const radio = open();
  expect(events).toEqual([`delay ${RADIO_POWER_UP_MS}`, 'spi opened, ldo2 on']);
  expect(power.railMillivolts('ldo2')).toBe(3300);
  expect(power.railOn('ldo3')).toBe(false); // the GPS rail stays off: the hotspot role does not use it
  expect(power.stats.busesOpen).toBe(0);
  expect(radio.chip).toBe('SX127x');
  radio.close();
});

test('T-Beam after a soft restart (LDO2 already on): no wait', () => {
  const { open, events } = setUp(boardById('tbeam_v1'), true);
  open().close();
  expect(events).toEqual(['spi opened, ldo2 on']);
});

test('the T-Beam\'s radio rail is LDO2, found from the board file; boards without a power chip have none', () => {
  expect(radioRail(boardById('tbeam_v1'))).toBe('ldo2');
  expect(radioRail(boardById('heltec_v2'))).toBeUndefined();
});

test('a power chip with no rail feeding the LoRa module is a board-file error', () => {
  const tbeam = boardById('tbeam_v1');
  const broken = { ...tbeam, powerChip: { ...tbeam.powerChip, rails: { ldo3: { millivolts: 3300, feeds: 'GPS' } } } } as Board;
  expect(() => radioRail(broken)).toThrow(RangeError);
});

/**
 * The AXP192 driver against the register-level emulator: the T-Beam's rails come up at the right
 * voltages, nothing else in the output-control register moves, and every I2C or chip fault becomes a
 * clear Axp192Error. Voltage codes are checked against values worked out by hand from the rails' ranges
 * and steps (Linux axp20x-regulator.c AXP192 table), not only driver against emulator.
 */
import { tbeamV1 } from '../../hal/boards/tbeam_v1.js';
import { Axp192, Axp192Error, railCode, railMillivolts, type RailSettings } from '../../hal/drivers/axp192.js';
import { Axp192Chip, type Axp192ChipOptions } from '../../host-sim/chips/axp192.js';

const T_BEAM_I2C = { data: 21, clock: 22 };

function setUp(options: Axp192ChipOptions = {}) {
  const chip = new Axp192Chip({ wiring: T_BEAM_I2C, ...options });
  const open = () => new Axp192({ i2c: { io: chip.I2C, ...T_BEAM_I2C } });
  return { chip, open };
}

const T_BEAM_RAILS: RailSettings = {
  ldo2: { on: true, millivolts: 3300 },
  ldo3: { on: true, millivolts: 3300 },
  dcdc1: { on: true, millivolts: 3300 },
};

describe('AXP192 voltage codes (REG 26H/28H: DCDC 0.7–3.5 V by 25 mV, LDO 1.8–3.3 V by 100 mV, as in Linux axp20x)', () => {
  test('3.3 V on an LDO is code 15: (3300 − 1800) / 100', () => {
    expect(railCode('ldo2', 3300)).toBe(15);
    expect(railCode('ldo3', 3300)).toBe(0xf);
  });

  test('3.3 V on DCDC1 is code 104 = 0x68: (3300 − 700) / 25', () => {
    expect(railCode('dcdc1', 3300)).toBe(0x68);
  });

  test('the ends of each range are codes 0 and the top code', () => {
    expect([railCode('ldo2', 1800), railCode('dcdc1', 700), railCode('dcdc1', 3500)]).toEqual([0, 0, 112]);
    expect([railMillivolts('ldo3', 0), railMillivolts('dcdc3', 112)]).toEqual([1800, 3500]);
  });

  test.each([
    ['ldo2', 3350],
    ['ldo2', 1700],
    ['dcdc1', 3510],
    ['dcdc1', 3312],
  ] as const)('%s at %i mV is a RangeError', (rail, millivolts) => {
    expect(() => railCode(rail, millivolts)).toThrow(RangeError);
  });
});

describe('AXP192 driver against the emulator', () => {
  test("the T-Beam's rails come up: LDO2 (LoRa) and LDO3 (GPS) at 3.3 V, DCDC1 at 3.3 V", () => {
    const { chip, open } = setUp();
    expect(chip.railOn('ldo2') || chip.railOn('ldo3')).toBe(false);
    const axp = open();
    axp.configure(T_BEAM_RAILS);
    expect(chip.register(0x28)).toBe(0xff);
    expect(chip.register(0x26)).toBe(0x68);
    expect(['ldo2', 'ldo3', 'dcdc1'].map((rail) => chip.railOn(rail as 'ldo2'))).toEqual([true, true, true]);
    expect([chip.railMillivolts('ldo2'), chip.railMillivolts('ldo3'), chip.railMillivolts('dcdc1')]).toEqual([3300, 3300, 3300]);
    axp.close();
  });

  test("the board file's rail list, applied as it is, powers LoRa and GPS", () => {
    const { chip, open } = setUp();
    const axp = open();
    const rails = tbeamV1.powerChip.rails;
    axp.configure({
      ldo2: { on: true, millivolts: rails.ldo2.millivolts },
      ldo3: { on: true, millivolts: rails.ldo3.millivolts },
      dcdc1: { on: true, millivolts: rails.dcdc1.millivolts },
    });
    expect([chip.railOn('ldo2'), chip.railOn('ldo3')]).toEqual([true, true]);
    axp.close();
  });

  test('rail() reads back what configure set', () => {
    const { open } = setUp();
    const axp = open();
    axp.configure({ ldo2: { on: true, millivolts: 3000 }, ldo3: { on: false, millivolts: 2500 } });
    expect(axp.rail('ldo2')).toEqual({ on: true, millivolts: 3000 });
    expect(axp.rail('ldo3')).toEqual({ on: false, millivolts: 2500 });
    expect(axp.rail('dcdc3')).toEqual({ on: true, millivolts: 3300 });
    axp.close();
  });

  test("the MCU's rail (DCDC3) and the other output-control bits are left as they were", () => {
    const { chip, open } = setUp({ registers: { 0x12: 0b0101_0010 } }); // DCDC3, DCDC2, EXTEN on
    const axp = open();
    axp.configure(T_BEAM_RAILS);
    axp.configure({ dcdc1: { on: false } });
    expect(chip.register(0x12)).toBe(0b0101_1110);
    expect(chip.mcuPowerLost).toBe(false);
    axp.close();
  });

  test('setting LDO3 keeps the LDO2 half of REG 28H', () => {
    const { chip, open } = setUp({ registers: { 0x28: 0xa0 } });
    const axp = open();
    axp.configure({ ldo3: { on: true, millivolts: 3300 } });
    expect(chip.register(0x28)).toBe(0xaf);
    axp.close();
  });

  test('a rail other than DCDC1, LDO2 and LDO3 is refused before anything is written', () => {
    const { chip, open } = setUp();
    const axp = open();
    const writes = chip.stats.writes;
    expect(() => axp.configure({ dcdc3: { on: false } } as unknown as RailSettings)).toThrow(RangeError);
    expect(() => axp.configure({ ldo2: { on: true, millivolts: 3300 }, ldo3: { on: true, millivolts: 5000 } })).toThrow(
      RangeError,
    );
    expect(chip.stats.writes).toBe(writes);
    axp.close();
  });

  test('status() reports the supply the chip sees', () => {
    const { chip, open } = setUp();
    const axp = open();
    chip.setSupply({ vbus: false, battery: true, charging: false });
    expect(axp.status()).toEqual({ acinPresent: false, vbusPresent: false, batteryPresent: true, charging: false });
    chip.setSupply({ vbus: true, charging: true });
    expect(axp.status()).toEqual({ acinPresent: false, vbusPresent: true, batteryPresent: true, charging: true });
    axp.close();
  });

  test('the I2C bus is opened at 0x34 and 400 kHz on the pins given', () => {
    const chip = new Axp192Chip();
    const seen: unknown[] = [];
    class Recording extends chip.I2C {
      constructor(options: ConstructorParameters<typeof chip.I2C>[0]) {
        super(options);
        seen.push(options);
      }
    }
    new Axp192({ i2c: { io: Recording, ...T_BEAM_I2C } }).close();
    expect(seen).toEqual([{ data: 21, clock: 22, address: 0x34, hz: 400_000 }]);
  });

  test('close() closes the bus once, and calls after it throw', () => {
    const { chip, open } = setUp();
    const axp = open();
    expect(chip.stats.busesOpen).toBe(1);
    axp.close();
    axp.close();
    expect(chip.stats.busesOpen).toBe(0);
    expect(() => axp.rail('ldo2')).toThrow(new Axp192Error('closed'));
  });
});

describe('AXP192 faults', () => {
  test('a chip that does not answer is a clear error naming the address and register, and the bus is closed', () => {
    const { chip, open } = setUp();
    chip.setConnected(false);
    expect(open).toThrow(Axp192Error);
    expect(open).toThrow(/^AXP192 at 0x34: reading REG 03H failed on I2C \(I2C write failed: no acknowledge/);
    expect(chip.stats.busesOpen).toBe(0);
  });

  test('the wrong I2C pins give the same error, not a hang or a wrong answer', () => {
    const chip = new Axp192Chip({ wiring: T_BEAM_I2C });
    expect(() => new Axp192({ i2c: { io: chip.I2C, data: 4, clock: 15 } })).toThrow(/failed on I2C/);
  });

  test('an AXP2101 (T-Beam v1.2) is recognised and refused', () => {
    const { open } = setUp({ chipId: 0x4a });
    expect(open).toThrow('chip at 0x34 reports id 0x4a in REG 03H: an AXP2101 (T-Beam v1.2), which this driver does not handle');
  });

  test('any other chip id is refused', () => {
    const { open } = setUp({ chipId: 0x00 });
    expect(open).toThrow(/reports id 0x00 in REG 03H: not an AXP192/);
  });

  test('an I2C error in the middle of configure names the failing register', () => {
    const { chip, open } = setUp();
    const axp = open();
    chip.failNext(1);
    expect(() => axp.configure(T_BEAM_RAILS)).toThrow(/^AXP192 at 0x34: reading REG 26H failed on I2C/);
    axp.configure(T_BEAM_RAILS);
    expect(chip.railOn('ldo2')).toBe(true);
    axp.close();
  });

  test('a register that does not take its value fails the read-back check', () => {
    const { chip, open } = setUp();
    chip.freeze(0x12);
    const axp = open();
    expect(() => axp.configure(T_BEAM_RAILS)).toThrow('REG 12H reads back 0x02 after writing 0x0f (bits 0x0d differ)');
    axp.close();
  });
});

describe('AXP192 emulator', () => {
  test('switching DCDC3 off cuts the MCU supply, and the chip stops answering', () => {
    const chip = new Axp192Chip();
    const bus = new chip.I2C({ data: 21, clock: 22, address: 0x34, hz: 400_000 });
    bus.write(Uint8Array.of(0x12, 0x00));
    expect(chip.mcuPowerLost).toBe(true);
    expect(() => bus.read(1)).toThrow(/no acknowledge/);
  });

  test('reports rail changes to whoever listens (e.g. the radio emulator on LDO2)', () => {
    const changes: string[] = [];
    const chip = new Axp192Chip({ onRailChange: (rail, on) => changes.push(`${rail} ${on ? 'on' : 'off'}`) });
    const bus = new chip.I2C({ data: 21, clock: 22, address: 0x34, hz: 400_000 });
    bus.write(Uint8Array.of(0x12, 0x06));
    expect(changes).toEqual(['ldo2 on']);
  });

  test('status and chip id registers ignore writes', () => {
    const chip = new Axp192Chip();
    const bus = new chip.I2C({ data: 21, clock: 22, address: 0x34, hz: 400_000 });
    bus.write(Uint8Array.of(0x03, 0x99));
    expect(chip.register(0x03)).toBe(0x03);
  });
});

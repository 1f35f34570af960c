/** Shared set-up for the SX126x suites: a test wiring (not a board), nodes on a TestAir, a virtual clock. */
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulatedSx126x, wireSx126x, type EmulatedSx126x, type EmulatedSx126xOptions } from '../../host-sim/chips/sx1262-radio.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { Sx1262 } from '../../host-sim/chips/sx1262.js';
import type { Sx126xOptions } from '../../hal/drivers/sx126x/sx126x.js';

/** Pins for the emulated chip in tests; real boards take theirs from hal/boards/. */
export const TEST_PINS = { nss: 1, reset: 2, busy: 3, dio1: 4, sck: 5, miso: 6, mosi: 7 } as const;

export interface Testbed {
  readonly clock: VirtualClock;
  readonly air: TestAir;
  node(name: string, options?: Partial<Pick<EmulatedSx126xOptions, 'board' | 'driver'>>): EmulatedSx126x;
}

export function testbed(): Testbed {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  return {
    clock,
    air,
    node: (name, options = {}) => emulatedSx126x({ air, clock, name, pins: TEST_PINS, ...options }),
  };
}

/** Lets promise callbacks run (the virtual clock fires timers synchronously). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Driver options wiring a driver to an already made emulated chip (for faults injected before start). */
export function wiringOf(chip: Sx1262, clock: VirtualClock): Pick<Sx126xOptions, 'spi' | 'select' | 'reset' | 'interrupt' | 'busy' | 'clock'> {
  return wireSx126x(chip, TEST_PINS, clock);
}

/** A payload of `length` bytes, 0, 1, 2, ... */
export function bytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

/** Shared set-up for the SX127x suites: emulated SX1276 nodes on a TestAir, driven by the real driver. */
import { TestAir } from '../../host-sim/air/test-air.js';
import { Sx1276 } from '../../host-sim/chips/sx1276.js';
import { HELTEC_V2_PINS, wireSx127x } from '../../host-sim/chips/sx1276-wiring.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { Sx127x, type Sx127xOptions } from '../../hal/drivers/sx127x/sx127x.js';
import type { RadioPacket } from '../../src/ports.js';

export interface Node {
  readonly chip: Sx1276;
  readonly radio: Sx127x;
  readonly packets: RadioPacket[];
  readonly errors: Error[];
  /** Starts continuous reception into `packets`. */
  listen(): void;
}

export type DriverOverrides = Partial<Omit<Sx127xOptions, 'spi' | 'select' | 'reset' | 'interrupt' | 'clock'>>;

export interface Testbed {
  readonly clock: VirtualClock;
  readonly air: TestAir;
  /** An emulated chip on the air (no driver yet), for faults injected before the driver starts. */
  chip(name: string): Sx1276;
  /** A chip with a driver on it; errors reported through onError are collected. */
  node(name: string, overrides?: DriverOverrides): Node;
  /** A driver on an existing chip. */
  driver(chip: Sx1276, overrides?: DriverOverrides): Sx127x;
}

export function testbed(): Testbed {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const chip = (name: string) => new Sx1276({ air, clock, name, pins: HELTEC_V2_PINS });
  const driver = (onChip: Sx1276, overrides: DriverOverrides = {}) => new Sx127x({ ...wireSx127x(onChip, clock), ...overrides });
  const node = (name: string, overrides: DriverOverrides = {}): Node => {
    const packets: RadioPacket[] = [];
    const errors: Error[] = [];
    const onChip = chip(name);
    const radio = driver(onChip, { onError: (error) => errors.push(error), ...overrides });
    return { chip: onChip, radio, packets, errors, listen: () => radio.receive((packet) => packets.push(packet)) };
  };
  return { clock, air, chip, node, driver };
}

/** Lets promise callbacks run (the virtual clock fires timers synchronously). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs the clock `ms` forward, then lets promise callbacks run. */
export async function advance(clock: VirtualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle();
}

/** The outcome of a promise without awaiting it: 'pending', or what it resolved or rejected with. */
export function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const outcome: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => Object.assign(outcome, { state: 'resolved', value }),
    (error: unknown) => Object.assign(outcome, { state: 'rejected', error }),
  );
  return outcome;
}

/** A payload of `length` bytes: 0, 1, 2, ... */
export function bytes(length: number, offset = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i + offset) & 0xff);
}

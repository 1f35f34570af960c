/**
 * One SX126x TX → RX exchange, start to finish, on a virtual clock: two emulated SX1262s on a TestAir,
 * each driven by the real driver. Device code (no Node built-ins), so the XS tier runs it unchanged;
 * tests/xs/sx126x-in-xs.test.ts compares its result inside XS with the same run in Node.
 */
import { TestAir } from '../../../host-sim/air/test-air.js';
import { emulatedSx126x } from '../../../host-sim/chips/sx1262-radio.js';
import { VirtualClock } from '../../../host-sim/kernel/virtual-clock.js';
import type { RadioStats } from '../../../src/ports.js';
import { TEST_PINS } from '../../support/sx126x.js';

export interface ExchangeArgs {
  readonly payload: Uint8Array;
  readonly lossDb: number;
  readonly spreadingFactor: number;
  /** Damage the packet in the air (the receiver reports a CRC error). */
  readonly corrupt?: boolean;
}

export interface HeardPacket {
  readonly atMs: number;
  readonly payload: Uint8Array;
  readonly rssiDbm: number;
  readonly snrDb: number;
  readonly frequencyErrorHz: number;
  readonly crcOk: boolean;
}

export interface ExchangeResult {
  readonly heard: readonly HeardPacket[];
  readonly sender: RadioStats;
  readonly receiver: RadioStats;
  /** Commands each chip received, as `opcode:param,param` strings. */
  readonly senderCommands: readonly string[];
  readonly violations: number;
  readonly endMs: number;
}

export function runSx126xExchange(args: ExchangeArgs): ExchangeResult {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const driver = { spreadingFactor: args.spreadingFactor, healthCheckMs: 0 };
  const a = emulatedSx126x({ air, clock, name: 'a', pins: TEST_PINS, driver });
  const b = emulatedSx126x({ air, clock, name: 'b', pins: TEST_PINS, driver });
  air.setLoss('a', 'b', args.lossDb);
  if (args.corrupt) air.corruptNext('b');
  const heard: HeardPacket[] = [];
  b.radio.receive((packet) => heard.push({ atMs: clock.now(), ...packet }));
  void a.radio.transmit(args.payload);
  clock.runUntilIdle();
  const result: ExchangeResult = {
    heard,
    sender: a.radio.stats,
    receiver: b.radio.stats,
    senderCommands: a.chip.commands.map((c) => `${c.opcode}:${c.params.join(',')}`),
    violations: a.chip.violations.length + b.chip.violations.length,
    endMs: clock.now(),
  };
  a.radio.close();
  b.radio.close();
  return result;
}

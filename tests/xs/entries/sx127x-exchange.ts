/**
 * One TX→RX exchange between two emulated SX1276 nodes driven by the SX127x driver, over a TestAir on a
 * virtual clock. Device code (no Node built-ins): tests/xs/entries/sx127x-exchange-entry.ts runs it in
 * XS, tests/xs/sx127x-in-xs.test.ts runs it in Node too and compares.
 *
 * Everything that matters happens in clock callbacks, so the outcome is read synchronously after
 * runUntil: the packets the receiver's listener got and both drivers' counters.
 */
import { TestAir } from '../../../host-sim/air/test-air.js';
import { Sx1276 } from '../../../host-sim/chips/sx1276.js';
import { HELTEC_V2_PINS, wireSx127x } from '../../../host-sim/chips/sx1276-wiring.js';
import { VirtualClock } from '../../../host-sim/kernel/virtual-clock.js';
import { Sx127x } from '../../../hal/drivers/sx127x/sx127x.js';
import type { RadioPacket, RadioStats } from '../../../src/ports.js';

export interface ExchangeScenario {
  readonly payload: Uint8Array;
  readonly lossDb: number;
  readonly carrierOffsetHz: number;
  readonly spreadingFactor: number;
  /** The sender's first transmission hangs: the watchdog, a recovery, then a second transmit. */
  readonly stuckFirst?: boolean;
  /** The receiver gets the (first delivered) packet damaged. */
  readonly corrupt?: boolean;
}

export interface ExchangeOutcome {
  readonly packets: readonly RadioPacket[];
  readonly sender: RadioStats;
  readonly receiver: RadioStats;
  readonly endMs: number;
}

export function runSx127xExchange(scenario: ExchangeScenario): ExchangeOutcome {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const node = (name: string) => {
    const chip = new Sx1276({ air, clock, name, pins: HELTEC_V2_PINS });
    return { chip, radio: new Sx127x({ ...wireSx127x(chip, clock), spreadingFactor: scenario.spreadingFactor }) };
  };
  const a = node('a');
  const b = node('b');
  air.setLoss('a', 'b', scenario.lossDb);
  air.setCarrierOffset('a', scenario.carrierOffsetHz);
  if (scenario.corrupt) air.corruptNext('b');
  const packets: RadioPacket[] = [];
  b.radio.receive((packet) => packets.push(packet));
  if (scenario.stuckFirst) {
    a.chip.stuckTx();
    a.radio.transmit(scenario.payload).catch(() => undefined);
    clock.runUntil(clock.now() + 10_000);
  }
  a.radio.transmit(scenario.payload).catch(() => undefined);
  clock.runUntil(clock.now() + 10_000);
  const outcome = { packets, sender: a.radio.stats, receiver: b.radio.stats, endMs: clock.now() };
  a.radio.close();
  b.radio.close();
  return outcome;
}

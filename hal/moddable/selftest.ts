/**
 * The factory self-test on the device (docs/firmware.md, "Self-test"): opens the real parts from
 * Moddable's modules, hands them to hal/selftest/selftest.ts, and closes them again. The boot mode
 * `mode=selftest` and the console command `covey selftest` call it while the hotspot is not running, so
 * nothing else holds the radio's pins, the receipt partition or the GPS UART.
 *
 *   device.io SPI, Digital ─ (AXP192 LoRa rail on, 10 ms) ─ the radio's bare bus ─ radio, spi
 *   Flash(mc/config receiptPartition) ─ PartitionFlash ─ flash
 *   Preference (the caller's PreferenceKeyValue) ─ seed ─ key
 *   Math.random ─ HardwareRng ─ rng
 *   device.io Serial (+ I2C for the AXP192 GPS rail) ─ openSerialGps ─ gps, boards with a GPS only
 *
 * Timer.delay gives the radio's reset waits; Timer.set the GPS item's pauses, during which the UART's
 * bytes come in.
 */
import { createPortableSigner, PortableVerifier } from '../runtime.js';
import type { Board } from '../boards/types.js';
import type { Flash } from '../../src/ports.js';
import { openRadioProbe, type RadioProbe } from '../selftest/radio-probe.js';
import { runSelftest } from '../selftest/selftest.js';
import type { DeviceModules } from './boot.js';
import { ModdableClock } from './clock.js';
import { DEFAULT_RECEIPT_PARTITION } from './device-config.js';
import { PartitionFlash } from './flash.js';
import type { PreferenceKeyValue } from './key-value.js';
import { powerRadio } from './radio.js';
import { HardwareRng } from './rng.js';
import { openSerialGps } from './serial-gps.js';

function partitionLabel(config: Readonly<Record<string, unknown>>): string {
  return typeof config.receiptPartition === 'string' ? config.receiptPartition : DEFAULT_RECEIPT_PARTITION;
}

/**
 * Runs the self-test, writing its report lines through `write` (one line each, without "\n"); true when
 * no item failed. Never throws for a fault of the device: a part that fails is its item's FAIL line.
 */
export async function runDeviceSelftest<T>(
  modules: DeviceModules<T>, board: Board, kv: PreferenceKeyValue, write: (line: string) => void,
): Promise<boolean> {
  const clock = new ModdableClock({ Timer: modules.Timer, Time: modules.Time, wallNow: modules.wallNow });
  const delay = (ms: number): void => modules.Timer.delay(ms);
  const io = modules.io;
  try {
    const outcome = await runSelftest({
      board: board.id,
      openRadio: (): RadioProbe => {
        powerRadio(board, io.I2C, delay);
        return openRadioProbe(board, { SPI: io.SPI, Digital: io.Digital }, { clock, delay });
      },
      openFlash: (): Flash => new PartitionFlash(new modules.Flash(partitionLabel(modules.config))),
      kv,
      createSigner: createPortableSigner,
      verifier: new PortableVerifier(),
      rng: new HardwareRng(modules.random),
      openGps: board.gps === undefined ? undefined : () => {
        if (io.Serial === undefined) throw new Error('this build has no device.io.Serial for the GPS UART');
        return openSerialGps(board, { Serial: io.Serial, I2C: io.I2C }, { clock });
      },
      sleep: (ms) => new Promise<void>((resolve) => {
        clock.setTimer(resolve, ms);
      }),
    }, write);
    return outcome.verdict === 'PASS';
  } finally {
    clock.close();
  }
}

/**
 * The usual ways flashing fails, each said so that the person at the bench knows what to do next.
 */
import { hex } from './chips.js';
import type { PortListing } from './web-serial-port.js';

export class FlashError extends Error {
  override get name(): string {
    return 'FlashError';
  }
}

/** How to put an ESP32 board into the ROM loader by hand (ESP-IDF "Boot Mode Selection"). */
export const DOWNLOAD_MODE_HOWTO =
  'hold BOOT (PRG/IO0), press and release RST (EN), release BOOT, then run covey flash again; ' +
  'some boards need BOOT held while plugging in the USB cable';

function portList(ports: readonly PortListing[]): string {
  if (ports.length === 0) return 'no serial ports are present: is the board plugged in, with a data (not charge-only) cable?';
  const shown = ports.map(({ path, manufacturer }) => (manufacturer === undefined ? path : `${path} (${manufacturer})`));
  return `serial ports present: ${shown.join(', ')}`;
}

/** A port that would not open, with the fix for the common causes on Linux and macOS. */
export function openFailure(path: string, reason: string, ports: readonly PortListing[]): FlashError {
  if (/permission denied|EACCES/i.test(reason)) {
    return new FlashError(
      `cannot open ${path}: permission denied: on Linux add yourself to the group that owns the port ` +
        '(dialout on Debian/Ubuntu/Fedora, uucp on Arch: sudo usermod -aG dialout $USER), then log out and in again',
    );
  }
  if (/cannot lock|resource temporarily unavailable|EBUSY|busy/i.test(reason)) {
    return new FlashError(`cannot open ${path}: ${reason}: another program has the port open (a serial monitor, xsbug, covey monitor?)`);
  }
  if (/no such file|ENOENT|does not exist|not found/i.test(reason)) {
    return new FlashError(`no such port ${path}; ${portList(ports)}`);
  }
  return new FlashError(`cannot open ${path}: ${reason}`);
}

/** The ROM loader never answered SYNC. `bootLog` is set when the board printed a boot log instead. */
export function notInDownloadMode(path: string, bootLog: boolean): FlashError {
  const seen = bootLog ? 'the board booted its firmware instead of the ROM loader' : 'no answer from the ROM loader';
  return new FlashError(`${seen} on ${path}: the board is not in download mode: ${DOWNLOAD_MODE_HOWTO}`);
}

export function wrongChip(board: string, expected: string, answered: string, path: string): FlashError {
  return new FlashError(`wrong chip: board ${board} has an ${expected}, but the chip on ${path} answered ${answered} (wrong --board, or wrong --port?)`);
}

export function md5Mismatch(source: string, offset: number, expected: string, found: string | undefined): FlashError {
  return new FlashError(
    `MD5 mismatch after writing ${source} at ${hex(offset)}: the file's is ${expected}, the flash's ${found ?? 'different'}; ` +
      'the flash was not written correctly: run covey flash again, with a lower --baud or another USB cable if it repeats',
  );
}

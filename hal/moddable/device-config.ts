/**
 * What the build tells the firmware, read from `mc/config` (reference/moddable.md §1: the manifest's
 * `config` object, frozen, with `key=value` pairs from the mcconfig command line merged in). The typings
 * give it as `Record<string, any>`, so every key covey reads is checked here, with the problem named:
 * a wrong build must say so on the console rather than run with a guess.
 *
 * Keys:
 * - `board` (required): the board id the image was built for (hal/boards/index.ts); the board's manifest
 *   entry sets it.
 * - `receiptPartition` (default "covey"): label of the data partition that holds the receipt queue
 *   (the partition table must have it: Moddable's `flash` module finds data partitions by label).
 * - `sntp` (default "pool.ntp.org"): the SNTP server, under the key Moddable's own network setup uses.
 */
import { boardById, UnknownBoardError, type Board } from '../boards/index.js';

export const DEFAULT_RECEIPT_PARTITION = 'covey';
export const DEFAULT_SNTP_HOST = 'pool.ntp.org';

/** ESP-IDF partition labels are at most 16 bytes (esp_partition_t.label is char[17]). */
const PARTITION_LABEL = /^[A-Za-z0-9_.-]{1,16}$/;
const HOST_NAME = /^[A-Za-z0-9.-]{1,253}$/;

export interface DeviceConfig {
  readonly board: Board;
  readonly receiptPartition: string;
  readonly sntpHost: string;
}

export class DeviceConfigError extends Error {
  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'DeviceConfigError';
  }
}

function optionalText(config: Readonly<Record<string, unknown>>, key: string, fallback: string, pattern: RegExp): string {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new DeviceConfigError(`mc/config ${key}: ${JSON.stringify(value)} does not match ${String(pattern)}`);
  }
  return value;
}

export function readDeviceConfig(config: Readonly<Record<string, unknown>>): DeviceConfig {
  const id = config.board;
  if (typeof id !== 'string') throw new DeviceConfigError('mc/config board: missing; the build must name the board it is for');
  let board: Board;
  try {
    board = boardById(id);
  } catch (error) {
    if (error instanceof UnknownBoardError) throw new DeviceConfigError(`mc/config board: ${error.message}`);
    throw error;
  }
  return {
    board,
    receiptPartition: optionalText(config, 'receiptPartition', DEFAULT_RECEIPT_PARTITION, PARTITION_LABEL),
    sntpHost: optionalText(config, 'sntp', DEFAULT_SNTP_HOST, HOST_NAME),
  };
}

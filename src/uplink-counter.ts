/**
 * The mapper's uplink counter (proofs/mapper-uplink.ts, bytes 45–48): 0, 1, 2, … per mapper key, and
 * never the same number on two uplinks that went on air, across reboots and power cuts included.
 *
 * Writing the counter to the KeyValue store (NVS on the device) before every uplink would cost a flash
 * write per uplink. Instead the store holds the end of a reserved block: the first counter a reboot may
 * use. Counters below it are handed out from RAM; when they run out, the next block is reserved (stored)
 * before its first counter is used. A reboot starts at the stored end, past every counter the previous
 * run could have sent, and gives up at most one block of numbers. At the default 64 per block a walker
 * sending every 50 s writes the store about once an hour.
 */
import type { KeyValue } from './ports.js';

/** The KeyValue key of the first counter a reboot may use (decimal text). */
export const UPLINK_COUNTER_KEY = 'mapperCounter';
/** Counters reserved per write of the store. */
export const DEFAULT_COUNTER_BLOCK = 64;
/** The largest counter the frame can carry (uint32). */
export const MAX_UPLINK_COUNTER = 0xffff_ffff;

/** Why no counter could be handed out. */
export class UplinkCounterError extends Error {
  readonly code: 'Unreadable' | 'Exhausted' | 'NotStored';

  constructor(code: UplinkCounterError['code'], detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }

  override get name(): string {
    return 'UplinkCounterError';
  }
}

export class UplinkCounter {
  private readonly kv: KeyValue;
  private readonly block: number;
  /** The counter the next uplink gets. */
  private nextCounter: number;
  /** Counters below this are covered by the stored reservation. */
  private reservedEnd: number;
  /** Set when the stored value is not a counter: nothing is sent rather than risk a number twice. */
  private readonly unreadable: string | undefined;

  constructor(kv: KeyValue, block = DEFAULT_COUNTER_BLOCK) {
    if (!Number.isInteger(block) || block < 1 || block > 1_000_000) throw new RangeError(`counter block of ${block}`);
    this.kv = kv;
    this.block = block;
    const stored = kv.get(UPLINK_COUNTER_KEY);
    const start = typeof stored === 'string' && /^\d{1,10}$/.test(stored) ? Number(stored) : undefined;
    // A value that is there but unreadable is never taken as 0: that could repeat every counter sent.
    this.unreadable = stored !== undefined && (start === undefined || start > MAX_UPLINK_COUNTER + 1)
      ? `the stored ${UPLINK_COUNTER_KEY} is not a counter` : undefined;
    this.nextCounter = start ?? 0;
    this.reservedEnd = this.nextCounter;
  }

  /**
   * The counter for the next uplink, reserving a new block in the store first when the reserved ones
   * are used up. Throws an UplinkCounterError when the stored value is unreadable, every counter has
   * been used, or the reservation could not be stored. Calling it again without `consume()` gives the
   * same number: a counter that never went on air may be used again.
   */
  peek(): number {
    if (this.unreadable !== undefined) throw new UplinkCounterError('Unreadable', this.unreadable);
    if (this.nextCounter > MAX_UPLINK_COUNTER) throw new UplinkCounterError('Exhausted', 'every uplink counter has been used');
    if (this.nextCounter >= this.reservedEnd) {
      const end = Math.min(MAX_UPLINK_COUNTER + 1, this.nextCounter + this.block);
      try {
        this.kv.set(UPLINK_COUNTER_KEY, String(end));
      } catch (error) {
        throw new UplinkCounterError('NotStored', error instanceof Error ? error.message : String(error));
      }
      this.reservedEnd = end;
    }
    return this.nextCounter;
  }

  /** Marks the counter `peek()` gave as used: call it just before its uplink is handed to the radio. */
  consume(): void {
    if (this.nextCounter >= this.reservedEnd) throw new RangeError('consume() without a reserved counter from peek()');
    this.nextCounter++;
  }
}

/**
 * The command transport: wait for BUSY low, frame one command between NSS low and NSS high, check the
 * status byte that comes back, count the transaction.
 *
 * BUSY bound. The longest BUSY the datasheet describes is a few milliseconds (start-up calibration,
 * Calibrate with all blocks, waking from cold sleep: DS §9.2, §13.1.12). The wait is bounded twice:
 * by the Clock (20 ms, several times the longest legitimate BUSY) and by a poll count (20,000). The
 * count matters because a synchronous loop sees no time pass on a virtual clock, and on the device it
 * is the cheaper bound: one Digital read from XS costs about a microsecond or more, so 20,000 polls
 * are at least the same 20 ms.
 *
 * Status check. The SX126x answers each byte after the opcode with its status (DS §8.3.1, §13.5.1), so
 * byte 1 of every frame longer than the opcode is a status byte, for reads and writes alike; one that
 * cannot come from a working chip (encoding.ts statusProblem) raises 'ChipFault'.
 */
import type { Clock } from '../../../src/ports.js';
import { statusProblem } from './encoding.js';
import { RadioError } from './errors.js';
import type { DigitalInstance, SpiInstance } from './io.js';

export const BUSY_POLL_LIMIT = 20_000;
export const BUSY_TIMEOUT_MS = 20;
/**
 * NRESET must stay low for more than 100 µs (DS §8.1). The hold ends after 1 ms on the Clock or after
 * this many BUSY reads (each well over 0.5 µs on the device), whichever comes first.
 */
export const RESET_HOLD_POLLS = 200;
/** After SetSleep the chip must not be woken for 500 µs (DS §13.1.1); the same bounded hold. */
const SLEEP_SETTLE_POLLS = 1_000;

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0')}`;

export class CommandBus {
  /** NSS cycles since the bus was made. */
  transactions = 0;
  private asleepSince: number | null = null;

  constructor(
    private readonly spi: SpiInstance,
    private readonly select: DigitalInstance,
    private readonly busy: DigitalInstance,
    private readonly clock: Clock,
  ) {}

  /** Polls BUSY until it is low; false if it stayed high past either bound. */
  waitReady(limit = BUSY_POLL_LIMIT, timeoutMs = BUSY_TIMEOUT_MS): boolean {
    const start = this.clock.now();
    for (let polls = 0; polls < limit; polls++) {
      if (this.busy.read() === 0) return true;
      if (this.clock.now() - start > timeoutMs) return false;
    }
    return false;
  }

  /** Spins for `ms` on the Clock or `polls` BUSY reads, whichever ends first. */
  hold(ms: number, polls: number): void {
    const start = this.clock.now();
    for (let i = 0; i < polls && this.clock.now() - start < ms; i++) this.busy.read();
  }

  /** Sends one frame in place and returns it holding what came back on MISO. */
  command(frame: Uint8Array): Uint8Array {
    if (this.asleepSince !== null) this.wake();
    if (!this.waitReady()) {
      throw new RadioError('BusyStuck', `BUSY stayed high for ${BUSY_TIMEOUT_MS} ms / ${BUSY_POLL_LIMIT} polls before command ${hex(frame[0])}`);
    }
    const opcode = frame[0];
    this.select.write(0);
    try {
      this.spi.transfer(frame);
    } finally {
      this.select.write(1);
      this.transactions++;
    }
    const problem = frame.length > 1 ? statusProblem(frame[1]) : null;
    if (problem !== null) throw new RadioError('ChipFault', `garbage on SPI: command ${hex(opcode)} got ${problem}`);
    return frame;
  }

  write(opcode: number, params: readonly number[] = []): void {
    this.command(Uint8Array.of(opcode, ...params));
  }

  /** A read command: opcode, parameters, one NOP for the status byte, then `count` bytes of answer. */
  read(opcode: number, params: readonly number[], count: number): Uint8Array {
    const frame = new Uint8Array(2 + params.length + count);
    frame[0] = opcode;
    frame.set(params, 1);
    return this.command(frame).subarray(2 + params.length);
  }

  /** Marks the chip asleep: the next command wakes it first. */
  slept(): void {
    this.asleepSince = this.clock.now();
  }

  /** Forgets sleep (after a reset the chip is awake). */
  awake(): void {
    this.asleepSince = null;
  }

  /** The chip wakes on an NSS falling edge (DS §13.1.1): an empty NSS cycle, then BUSY falls when it is ready. */
  private wake(): void {
    const settle = 1 - (this.clock.now() - (this.asleepSince ?? 0));
    if (settle > 0) this.hold(settle, SLEEP_SETTLE_POLLS);
    this.asleepSince = null;
    this.select.write(0);
    this.select.write(1);
    this.transactions++;
  }
}

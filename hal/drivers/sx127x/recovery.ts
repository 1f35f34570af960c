/**
 * The NRESET line and the reset pulse a recovery starts with (SX1276 DS §7.2.2): NRESET low for at
 * least 100 µs, then released, and 5 ms before the chip may be used. Released means high impedance, as
 * Semtech's reference driver leaves it, so the line is an input except during the pulse; opening it as
 * an output at start-up could glitch it low and reset the chip.
 */
import { DIGITAL, type DigitalClass, type DigitalPin } from './io.js';

/** Low time of the pulse, ms: the datasheet asks for 100 µs and the Clock counts whole ms. */
export const RESET_PULSE_MS = 1;
/** Wait after releasing NRESET before the first SPI access, ms (DS §7.2.2). */
export const RESET_READY_MS = 5;
/** Resets a recovery tries before it gives up on the chip. */
export const RECOVERY_ATTEMPTS = 3;

export class ResetLine {
  private pin: DigitalPin | null;

  constructor(
    private readonly io: DigitalClass,
    private readonly pinNumber: number,
  ) {
    this.pin = new io({ pin: pinNumber, mode: DIGITAL.Input });
  }

  /** Drives NRESET low. */
  assert(): void {
    this.reopen(DIGITAL.Output);
    this.pin?.write(0);
  }

  /** Lets NRESET go (high impedance). */
  release(): void {
    this.reopen(DIGITAL.Input);
  }

  close(): void {
    const pin = this.pin;
    this.pin = null;
    pin?.close();
  }

  private reopen(mode: number): void {
    if (this.pin === null) return;
    this.pin.close();
    this.pin = null;
    this.pin = new this.io({ pin: this.pinNumber, mode });
  }
}

type Timer = (callback: () => void, ms: number) => void;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Pulses NRESET, waits for the chip, and runs `restore` (version check, settings), up to
 * RECOVERY_ATTEMPTS times; then calls `done` with null, or with the last problem seen. Driven by timer
 * callbacks rather than promises, so that a virtual clock runs a whole recovery in one go.
 */
export function resetAndRestore(line: ResetLine, setTimer: Timer, restore: () => void, done: (problem: string | null) => void): void {
  let attempt = 0;
  let problem = 'no attempt made';
  const failed = (error: unknown) => {
    problem = messageOf(error);
    if (++attempt < RECOVERY_ATTEMPTS) pulse();
    else done(problem);
  };
  const ready = () => {
    try {
      restore();
    } catch (error) {
      return failed(error);
    }
    done(null);
  };
  const pulse = () => {
    try {
      line.assert();
    } catch (error) {
      return failed(error);
    }
    setTimer(() => {
      try {
        line.release();
      } catch (error) {
        return failed(error);
      }
      setTimer(ready, RESET_READY_MS);
    }, RESET_PULSE_MS);
  };
  pulse();
}

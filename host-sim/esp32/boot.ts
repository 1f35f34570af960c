/**
 * Reset and boot-mode strapping (ESP32 datasheet §2.4 "Strapping Pins"; esptool "Boot Mode Selection").
 * The chip boots when EN rises; it samples GPIO0 then: low → ROM serial download mode, high → boot
 * the firmware from flash.
 *
 * Boards with the classic two-transistor auto-reset circuit (Heltec, LilyGO) cross-couple the USB
 * bridge's DTR and RTS: EN is pulled low only while RTS is asserted and DTR is not, GPIO0 only while
 * DTR is asserted and RTS is not, so asserting both (as a terminal does on open) changes nothing.
 * esptool's classic reset asserts RTS (chip held in reset), then swaps to DTR (EN rises with GPIO0
 * low), then releases both. A held BOOT button pulls GPIO0 low whatever the lines do.
 */
export interface StrapOptions {
  /** The board has the auto-reset circuit; without it DTR and RTS reach nothing. */
  readonly autoReset: boolean;
  /** The BOOT button is held down. */
  readonly bootHeld: boolean;
}

export interface Lines {
  readonly dtr: boolean;
  readonly rts: boolean;
}

export type StrapEvent = 'none' | 'enter-reset' | 'boot-download' | 'boot-firmware';

export class BootStraps {
  readonly #options: StrapOptions;
  #lines: Lines = { dtr: false, rts: false };
  #enLow = false;

  constructor(options: StrapOptions) {
    this.#options = options;
  }

  /** GPIO0 is low (download mode at the next boot). */
  get io0Low(): boolean {
    if (this.#options.bootHeld) return true;
    return this.#options.autoReset && this.#lines.dtr && !this.#lines.rts;
  }

  get inReset(): boolean {
    return this.#enLow;
  }

  /** New line levels (undefined keeps a line as it is); reports a reset starting or a boot happening. */
  setLines(lines: { dtr?: boolean; rts?: boolean }): StrapEvent {
    this.#lines = { dtr: lines.dtr ?? this.#lines.dtr, rts: lines.rts ?? this.#lines.rts };
    const enLow = this.#options.autoReset && this.#lines.rts && !this.#lines.dtr;
    const was = this.#enLow;
    this.#enLow = enLow;
    if (enLow && !was) return 'enter-reset';
    if (!enLow && was) return this.bootMode();
    return 'none';
  }

  /** The mode a boot takes now. */
  bootMode(): 'boot-download' | 'boot-firmware' {
    return this.io0Low ? 'boot-download' : 'boot-firmware';
  }
}

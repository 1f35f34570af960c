/**
 * The ports: the small interfaces through which device logic reaches the world. `src/` depends on
 * these and nothing else; the device entry point (hal/moddable/) and the host simulator each supply
 * implementations. This file holds the ports the radio layer needs; the runtime adds the rest.
 */

/** An opaque handle for a pending timer. */
export type TimerHandle = unknown;

/**
 * Time as the firmware sees it: a monotonic millisecond count and one-shot timers. On the device it is
 * Moddable's `Time.ticks` and `Timer`; in the simulator, the virtual clock. Callbacks never run inside
 * `setTimer` itself, always later, in time order.
 */
export interface Clock {
  /** Milliseconds since an arbitrary start; never goes backwards. */
  now(): number;
  /** Calls `callback` once, `delayMs` (≥ 0) from now. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; harmless if it already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
}

/** LoRa modem settings. Frequencies and bandwidths in Hz, power in dBm. */
export interface LoRaSettings {
  readonly frequencyHz: number;
  /** 6–12 on SX127x (6 needs implicit header), 5–12 on SX126x. */
  readonly spreadingFactor: number;
  /** One of the chip's bandwidths: 7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000. */
  readonly bandwidthHz: number;
  /** The coding rate's denominator: 5–8 for 4/5–4/8. */
  readonly codingRate: number;
  /** Conducted output power, dBm. */
  readonly txPowerDbm: number;
  /** Preamble symbols programmed (the chip adds 4.25). */
  readonly preambleLength: number;
  /** LoRa sync word as the SX127x writes it: 0x12 private networks, 0x34 LoRaWAN public. */
  readonly syncWord: number;
  readonly crc: boolean;
  readonly implicitHeader: boolean;
  /** Payload length, required with an implicit header. */
  readonly implicitLength?: number;
  /** Low data rate optimisation: 'auto' turns it on when a symbol lasts 16 ms or more. */
  readonly ldro: 'auto' | 'on' | 'off';
}

/** A packet the radio received, with what the chip measured about it. */
export interface RadioPacket {
  readonly payload: Uint8Array;
  /** Packet RSSI, dBm. */
  readonly rssiDbm: number;
  /** Packet SNR, dB. */
  readonly snrDb: number;
  /** Estimated frequency error of the sender, Hz (0 where the chip does not report it). */
  readonly frequencyErrorHz: number;
  /** False when the payload CRC failed: reported, never dropped silently. */
  readonly crcOk: boolean;
}

/** Counters a radio keeps for status pages, logs and benchmarks. */
export interface RadioStats {
  readonly txPackets: number;
  readonly rxPackets: number;
  readonly crcErrors: number;
  /** Times the driver reset and reconfigured a stuck or unresponsive chip. */
  readonly recoveries: number;
  /** SPI transactions (one chip-select cycle each) since the driver started. */
  readonly spiTransactions: number;
}

/**
 * A LoRa radio. One implementation per chip family (hal/drivers/sx127x, hal/drivers/sx126x); the
 * runtime never knows which. Faults the driver cannot hand to a caller (a stuck chip found while
 * receiving) go to the `onError` given at construction.
 */
export interface Radio {
  /** The chip, e.g. "SX1276" or "SX1262". */
  readonly chip: string;
  readonly stats: RadioStats;
  /** Applies the given settings (merged into the current ones) and leaves the chip in standby. */
  configure(settings: Partial<LoRaSettings>): void;
  /** Sends one packet; resolves when the chip signals TxDone. Interrupts any reception. */
  transmit(payload: Uint8Array): Promise<void>;
  /** Receives continuously until another operation; each packet, CRC failures included, goes to `onPacket`. */
  receive(onPacket: (packet: RadioPacket) => void): void;
  /** The instantaneous received power on the configured channel, dBm. */
  rssi(): number;
  /** Channel activity detection: resolves true if a LoRa preamble of the configured SF is on air. */
  detectActivity(): Promise<boolean>;
  /** Puts the chip to sleep; the next operation wakes it. */
  sleep(): void;
  /** Stops everything. Idempotent; no callback fires afterwards. */
  close(): void;
}

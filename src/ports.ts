/**
 * The ports: the small interfaces through which device logic reaches the world. `src/` depends on
 * these and nothing else; the device entry point (hal/moddable/) and the host simulator each supply
 * implementations, and one process can hold many sets (the simulator runs thousands of hotspots).
 */
import type { Signer, Verifier } from '../proofs/signing.js';

export type { Signer, Verifier };

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
  /**
   * Wall time, ms since 1970-01-01T00:00:00Z, or undefined while it is not known (before the first
   * SNTP answer on a device). May jump when it is set; never use it to measure intervals.
   */
  wallMs(): number | undefined;
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

/**
 * A raw flash region with NOR semantics: erased bytes read 0xFF, programming can only clear bits (the
 * stored byte becomes old AND new), and only erasing a whole sector sets its bits back to 1. A power cut
 * during `program` or `erase` can leave any mix of old and new bits in the bytes being changed.
 * On the device: Moddable's `flash` module on a data partition.
 */
export interface Flash {
  /** Total bytes; a whole number of sectors. */
  readonly size: number;
  /** Erase unit, bytes (4,096 on ESP32 SPI flash). */
  readonly sectorSize: number;
  read(offset: number, length: number): Uint8Array;
  /** ANDs `bytes` into the flash at `offset`. */
  program(offset: number, bytes: Uint8Array): void;
  /** Sets every byte of sector `sector` (0-based) to 0xFF. */
  erase(sector: number): void;
}

/**
 * Small persistent values: settings and the device key. Like Moddable's Preference (one domain): keys of
 * at most 15 characters, values of at most 4,000 bytes, NVS partition of 24 KB shared with Wi-Fi.
 */
export interface KeyValue {
  get(key: string): Uint8Array | string | undefined;
  set(key: string, value: Uint8Array | string): void;
  delete(key: string): void;
}

export const KEY_VALUE_LIMITS = { keyLength: 15, valueBytes: 4000 } as const;

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL, e.g. "http://oracle.example:8080/v1/entropy". */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Give up after this long, ms. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** HTTP client. Rejects (never resolves with a fake status) when there is no network or it times out. */
export interface Http {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** A position fix from a GNSS receiver. */
export interface GpsFix {
  readonly latE7: number;
  readonly lonE7: number;
  /** Metres above mean sea level. */
  readonly altitudeM: number;
  readonly hdop: number;
  readonly satellites: number;
  /** When the fix was taken, ms since the Unix epoch (from the GNSS time). */
  readonly timeMs: number;
}

/** Optional GNSS receiver (mapper role). */
export interface Gps {
  /** The latest valid fix, or undefined when there is none. */
  fix(): GpsFix | undefined;
}

/** Randomness: the hardware RNG on the device, a seeded stream in the simulator. */
export interface Rng {
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One line per event; `fields` are printed as key=value. Never given secrets. */
export interface Log {
  write(level: LogLevel, message: string, fields?: Readonly<Record<string, string | number | boolean>>): void;
}

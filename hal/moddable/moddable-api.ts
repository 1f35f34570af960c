/**
 * The parts of Moddable's modules that covey's adapters use, as structural types. The adapters take
 * these as constructor arguments instead of importing the modules, so that the tests can hand them
 * fakes (tests/moddable/) and the XS tier can bundle the entry point with fakes of the modules
 * (tools/xs/moddable-fakes/). Only hal/moddable/main.ts imports the real modules; it is type-checked
 * against @moddable/typings 5.6.0 (tsconfig.moddable.json), so a shape declared here that the real
 * module does not have fails `npm run lint`.
 *
 * Sources for each shape: reference/moddable.md §4 and the Moddable files named below.
 */

/**
 * `import Timer from "timer"`: one-shot and repeating timers on the event loop, and a blocking delay.
 * `T` is the module's opaque timer object (modules/base/timer), which only the module itself reads.
 */
export interface TimerModule<T> {
  set(callback: () => void, interval?: number): T;
  repeat(callback: () => void, interval: number): T;
  clear(timer: T | undefined): void;
  /** Blocks for `ms` (no callbacks run meanwhile). */
  delay(ms: number): void;
}

/**
 * `import Time from "time"`. `ticks` is `modMilliseconds()` set with xsmcSetInteger
 * (modules/base/time/esp/modTime.c): on the ESP32 that is FreeRTOS's 32-bit tick count at 1 kHz
 * (xs/platforms/esp/xsHost.h), so it turns negative after 2^31 ms and wraps after 2^32 ms (49.7 days).
 * `set(seconds)` sets the system time, which `Date.now()` then reads.
 */
export interface TimeModule {
  readonly ticks: number;
  set(seconds: number): void;
}

/** What Preference stores (modules/files/preference/esp32/modPreference.c: u8, i32, string, blob). */
export type PreferenceValue = string | boolean | number | ArrayBuffer;

/** `import Preference from "preference"`: ESP-IDF NVS, one namespace per domain. */
export interface PreferenceModule {
  set(domain: string, key: string, value: string | boolean | number | ArrayBuffer): void;
  get(domain: string, key: string): PreferenceValue | undefined;
  delete(domain: string, key: string): void;
}

/**
 * An open data partition, `new Flash(name)` from `import Flash from "flash"`
 * (modules/files/flash/esp32/flash.c): `read` returns a new ArrayBuffer; `write` is
 * esp_partition_write, which programs without erasing (NOR: bits only go from 1 to 0) and refuses a
 * byteLength ≤ 0; `erase(sector)` erases `blockSize` bytes at sector × blockSize; `blockSize` is
 * SPI_FLASH_SEC_SIZE (4,096).
 */
export interface FlashPartition {
  readonly byteLength: number;
  readonly blockSize: number;
  read(offset: number, byteLength: number): ArrayBuffer | { readonly byteLength: number };
  write(offset: number, byteLength: number, buffer: Uint8Array): void;
  erase(sector: number): void;
}

/** The Flash class: throws "can't find partition" when no data partition has the label. */
export type FlashConstructor = new (partition: string) => FlashPartition;

/** Options of the legacy HTTP client, `import {Request} from "http"` (modules/network/http/http.js). */
export interface RequestOptions {
  host: string;
  port: number;
  path: string;
  method: string;
  /** Name, value, name, value, … */
  headers: string[];
  body?: ArrayBuffer;
  /** ArrayBuffer: the whole body is collected and handed to responseComplete. */
  response: typeof ArrayBuffer;
}

/** A request in flight. */
export interface HttpRequestInstance {
  /**
   * Set right after construction; the first message comes from a later turn of the event loop.
   * Messages (http.js): 1 status (value: the code), 2 one header (name in lower case, value), 3 headers
   * complete, 5 response complete (value: the body), and a negative number for an error or a connection
   * lost before the response was complete (Request.error is -2 in http.js, -1 in the typings).
   */
  callback(message: number, value1?: unknown, value2?: unknown): void;
  close(): void;
}

export type RequestConstructor = new (options: RequestOptions) => HttpRequestInstance;

/**
 * `import SNTP from "sntp"`: one query (with the module's own retries). Messages: 1 time (value: Unix
 * seconds), 2 retrying, −1 failed.
 */
export type SntpConstructor = new (options: { host: string }, callback: (message: number, value?: number) => void) => object;

/**
 * `import WiFi from "wifi"`, the legacy station API. `new WiFi({ssid, password}, callback)` starts
 * connecting; messages are "connect", "gotIP", "lostIP", "disconnect" (with −1 when the password was
 * rejected, build/devices/esp32/setup/network.js). `mode = 1` is station mode.
 */
export interface WiFiMonitor {
  close(): void;
}

export type WiFiMessage = 'connect' | 'gotIP' | 'lostIP' | 'disconnect' | 'station_connect' | 'station_disconnect';

export interface WiFiModule {
  new (options: { ssid: string; password?: string }, callback: (message: WiFiMessage, code?: number) => void): WiFiMonitor;
  mode: number;
  disconnect(): void;
}

/** The global `trace` (xs/includes/xs.d.ts): writes to the serial console (or xsbug); adds no newline. */
export type TraceFunction = (text: string) => void;

/**
 * Wi-Fi and the wall clock: joins the settings' network with Moddable's legacy `wifi` module and sets
 * the clock from SNTP (`sntp`, then `Time.set` through ModdableClock.setWallTime), all in the background.
 *
 * Why not Moddable's `setup/network`: it calls `main` only after an IP address and an SNTP answer
 * (build/devices/esp32/setup/network.js; reference/moddable.md §1), so with an SSID configured and the
 * access point absent the firmware would never start, and a LoRa hotspot must keep listening offline.
 * The build leaves `setup/network` out and sets no `ssid`; this starts after the hotspot is built and
 * never holds anything back. Without wall time the hotspot still runs: it witnesses nothing it could
 * not date (docs/firmware.md, "The witness path") and waits to beacon.
 *
 * Retries: a disconnection or a connection attempt that gives no address within CONNECT_TIMEOUT_MS is
 * retried after 5 s, doubling to at most 5 min; a failed SNTP query after 30 s, doubling to 15 min. Once
 * set, the clock is set again every hour, which keeps the ESP32's drift (tens of ppm: a few seconds a
 * day) far below what receipts may be off by. The Wi-Fi password is never logged.
 */
import type { Clock, Log, TimerHandle } from '../../src/ports.js';
import type { WifiSettings } from '../../src/settings.js';
import type { SntpConstructor, WiFiMessage, WiFiModule, WiFiMonitor } from './moddable-api.js';

export const CONNECT_TIMEOUT_MS = 30_000;
export const RECONNECT_MS = { first: 5_000, max: 300_000 } as const;
export const SNTP_RETRY_MS = { first: 30_000, max: 900_000 } as const;
export const SNTP_RESYNC_MS = 3_600_000;

/** Legacy wifi module: station mode (WiFi.Mode.station in the typings). */
const STATION_MODE = 1;
/** SNTP callback messages (modules/network/sntp). */
const SNTP_TIME = 1;

export type NetworkState = 'off' | 'offline' | 'connecting' | 'online';

export interface NetworkOptions {
  readonly WiFi: WiFiModule;
  readonly SNTP: SntpConstructor;
  /** Timers for the retries, and where an SNTP answer goes. */
  readonly clock: Pick<Clock, 'setTimer' | 'clearTimer'> & { setWallTime(seconds: number): void };
  readonly log: Log;
  /** The network to join; undefined keeps the device offline. */
  readonly wifi: WifiSettings | undefined;
  /** The SNTP server's host name. */
  readonly sntpHost: string;
}

/**
 * Puts the ESP32 in station mode without joining a network: its RF is then on, which makes esp_random()
 * truly random (hal/moddable/rng.ts). Boot does this before the device key can be drawn, settings or not.
 */
export function enterStationMode(WiFi: Pick<WiFiModule, 'mode'>): void {
  if (WiFi.mode !== STATION_MODE) WiFi.mode = STATION_MODE;
}

/** Doubles `first` for each attempt after the first, up to `max`. */
function backoff(attempt: number, schedule: { readonly first: number; readonly max: number }): number {
  return Math.min(schedule.max, schedule.first * 2 ** Math.min(attempt, 16));
}

export class Network {
  private readonly options: NetworkOptions;
  private monitor: WiFiMonitor | undefined;
  private sntp: object | undefined;
  private wifiTimer: TimerHandle | undefined;
  private sntpTimer: TimerHandle | undefined;
  private connectAttempts: number;
  private sntpAttempts: number;
  private currentState: NetworkState;
  private synced: boolean;

  constructor(options: NetworkOptions) {
    this.options = options;
    this.monitor = undefined;
    this.sntp = undefined;
    this.wifiTimer = undefined;
    this.sntpTimer = undefined;
    this.connectAttempts = 0;
    this.sntpAttempts = 0;
    this.currentState = 'off';
    this.synced = false;
  }

  get state(): NetworkState {
    return this.currentState;
  }

  /** True once an SNTP answer has set the clock. */
  get timeSynced(): boolean {
    return this.synced;
  }

  /**
   * Puts the ESP32 in station mode, which also powers its RF, and so makes esp_random() truly random
   * (hal/moddable/rng.ts), then joins the network if there is one. Returns at once.
   */
  start(): void {
    if (this.currentState !== 'off') return;
    enterStationMode(this.options.WiFi);
    if (this.options.wifi === undefined) {
      this.currentState = 'offline';
      this.options.log.write('warn', 'no Wi-Fi in the settings: running offline, without wall time (no beacons, no receipts)', {});
      return;
    }
    this.connect();
  }

  private connect(): void {
    const { WiFi, wifi, log } = this.options;
    const { ssid, password } = wifi as WifiSettings;
    this.closeMonitor();
    this.currentState = 'connecting';
    this.connectAttempts++;
    log.write('info', 'Wi-Fi connecting', { ssid, attempt: this.connectAttempts });
    this.setWifiTimer(() => this.retryConnect('no address'), CONNECT_TIMEOUT_MS);
    try {
      this.monitor = new WiFi({ ssid, password }, (message, code) => this.onWiFi(message, code));
    } catch (error) {
      this.retryConnect(error instanceof Error ? error.message : String(error));
    }
  }

  private onWiFi(message: WiFiMessage, code: number | undefined): void {
    const { log, wifi } = this.options;
    if (message === 'connect') {
      log.write('info', 'Wi-Fi associated', { ssid: (wifi as WifiSettings).ssid });
    } else if (message === 'gotIP') {
      this.clearWifiTimer();
      this.currentState = 'online';
      this.connectAttempts = 0;
      log.write('info', 'Wi-Fi online', {});
      if (this.sntpTimer === undefined && this.sntp === undefined) this.queryTime();
    } else if (message === 'lostIP') {
      this.currentState = 'connecting';
      log.write('warn', 'Wi-Fi lost its address', {});
      this.setWifiTimer(() => this.retryConnect('no address'), CONNECT_TIMEOUT_MS);
    } else if (message === 'disconnect') {
      this.retryConnect(code === -1 ? 'password rejected' : 'disconnected');
    }
  }

  private retryConnect(reason: string): void {
    this.closeMonitor();
    this.currentState = 'connecting';
    const delayMs = backoff(this.connectAttempts - 1, RECONNECT_MS);
    this.options.log.write('warn', 'Wi-Fi not connected, retrying', { reason, retryInS: Math.round(delayMs / 1000) });
    this.setWifiTimer(() => this.connect(), delayMs);
  }

  private queryTime(): void {
    const { SNTP, sntpHost, log } = this.options;
    this.sntpTimer = undefined;
    if (this.currentState !== 'online') return; // the next gotIP queries again
    try {
      this.sntp = new SNTP({ host: sntpHost }, (message, value) => this.onSntp(message, value));
    } catch (error) {
      log.write('warn', 'SNTP query failed', { host: sntpHost, error: error instanceof Error ? error.message : String(error) });
      this.sntp = undefined;
      this.scheduleTime(backoff(this.sntpAttempts++, SNTP_RETRY_MS));
    }
  }

  private onSntp(message: number, value: number | undefined): void {
    const { clock, log, sntpHost } = this.options;
    if (message === SNTP_TIME && typeof value === 'number') {
      this.sntp = undefined;
      try {
        clock.setWallTime(value);
      } catch (error) {
        log.write('warn', 'SNTP answer refused', { host: sntpHost, error: error instanceof Error ? error.message : String(error) });
        return this.scheduleTime(backoff(this.sntpAttempts++, SNTP_RETRY_MS));
      }
      this.sntpAttempts = 0;
      if (!this.synced) log.write('info', 'clock set by SNTP', { host: sntpHost, unixS: value });
      this.synced = true;
      this.scheduleTime(SNTP_RESYNC_MS);
    } else if (message < 0) {
      this.sntp = undefined;
      const delayMs = backoff(this.sntpAttempts++, SNTP_RETRY_MS);
      log.write('warn', 'SNTP gave no time, retrying', { host: sntpHost, retryInS: Math.round(delayMs / 1000) });
      this.scheduleTime(delayMs);
    }
  }

  private scheduleTime(delayMs: number): void {
    this.sntpTimer = this.options.clock.setTimer(() => this.queryTime(), delayMs);
  }

  private setWifiTimer(callback: () => void, delayMs: number): void {
    this.clearWifiTimer();
    this.wifiTimer = this.options.clock.setTimer(() => {
      this.wifiTimer = undefined;
      callback();
    }, delayMs);
  }

  private clearWifiTimer(): void {
    if (this.wifiTimer !== undefined) this.options.clock.clearTimer(this.wifiTimer);
    this.wifiTimer = undefined;
  }

  private closeMonitor(): void {
    const monitor = this.monitor;
    this.monitor = undefined;
    try {
      monitor?.close();
    } catch {
      // Closing only drops the callback; a monitor the module already dropped is fine.
    }
  }
}

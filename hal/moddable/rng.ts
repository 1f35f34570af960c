/**
 * The Rng port (src/ports.ts) on the ESP32's hardware random number generator, which XS exposes only
 * through `Math.random()`: there is no `crypto.getRandomValues` in the Moddable SDK (reference/moddable.md
 * §4). The device key, beacon times and nonces all come from here.
 *
 * What one call gives. XS computes `Math.random()` as `c_rand() / C_RAND_MAX`, drawing again while
 * `c_rand()` equals C_RAND_MAX (xs/sources/xsMath.c `fx_Math_random`). For SDK 8.x reference/moddable.md §4
 * gives `c_rand()` as `0x7fffffff & esp_random()`: 31 bits of the hardware RNG, over C_RAND_MAX 2^31 − 1.
 * An older xs/platforms/esp/xsHost.h read here has `c_rand` = `esp_random` and C_RAND_MAX 2^32 − 1: 32
 * bits. Either way the top 24 bits of the fraction, `floor(Math.random() × 2^24)`, are uniform to within
 * 2^-31 (2^31 − 1 or 2^32 − 1 equally likely values spread over 2^24 results, each 127–128 or 255–256
 * of them), so each call gives 3 bytes: little-endian, the low byte first. A 32-byte seed takes 11 calls.
 * (A build whose c_rand() kept 31 bits but whose C_RAND_MAX stayed 2^32 − 1 would give values below 0.5
 * only, and a 0 in bit 23 of every draw: printing a few Math.random() values on a board settles it.)
 *
 * Caveat (ESP-IDF, "Random Number Generation"): esp_random() is truly random only while the RF subsystem
 * (Wi-Fi or Bluetooth) is on, or while the bootloader's entropy source is enabled; otherwise it is a
 * pseudo-random stream. The LoRa radio is not the ESP32's RF. The entry point (hal/moddable/boot.ts)
 * therefore puts Wi-Fi in station mode before the first draw, so a first-boot key is made with the RF on.
 */
import type { Rng } from '../../src/ports.js';

/** Bytes taken from one Math.random() call. */
export const BYTES_PER_CALL = 3;

const SCALE = 2 ** 24;

/** Math.random() returned something that is not a number in [0, 1): the source is broken. */
export class RngError extends Error {
  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'RngError';
  }
}

export class HardwareRng implements Rng {
  private readonly random: () => number;

  /** `random`: Math.random on the device. */
  constructor(random: () => number) {
    if (typeof random !== 'function') throw new TypeError('random must be a function');
    this.random = random;
  }

  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`length must be a whole number of bytes, got ${String(length)}`);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += BYTES_PER_CALL) {
      const draw = this.draw24();
      out[i] = draw & 0xff;
      if (i + 1 < length) out[i + 1] = (draw >>> 8) & 0xff;
      if (i + 2 < length) out[i + 2] = draw >>> 16;
    }
    return out;
  }

  /** 24 random bits. */
  private draw24(): number {
    const x = this.random();
    if (typeof x !== 'number' || !(x >= 0 && x < 1)) throw new RngError(`Math.random() returned ${String(x)}, not a number in [0, 1)`);
    return Math.floor(x * SCALE);
  }
}

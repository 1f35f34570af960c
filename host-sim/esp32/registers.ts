/**
 * The part of the chip's address space the loader's READ_REG and WRITE_REG reach: fixed words (chip magic,
 * eFuses), the UART clock divider (which follows the current baud rate, as the ROM programs it from the
 * 40 MHz crystal), and the SPI flash controller's "user command" registers, which esptool drives to read
 * the flash's JEDEC id: it sets the command in USR2, the read length in MISO_DLEN, the phases in USR,
 * starts it with CMD.USR (bit 18), polls until the bit clears and reads the answer from W0 (ESP32 TRM §7.4).
 * Anything else reads back what was last written there, or 0.
 */
import { CHIP_PROFILES, CRYSTAL_HZ, type ChipProfile, type EmulatedChip } from './chips.js';

const SPI_CMD_USR = 1 << 18;
const SPI_USR_MISO = 1 << 28;

/** The SPI NOR flash's own commands (JEDEC JESD216 / Winbond W25Q32 datasheet §8). */
export interface SpiFlashIdentity {
  /** Manufacturer, memory type, capacity, in the order the chip shifts them out. */
  readonly jedecId: readonly [number, number, number];
}

export class RegisterFile {
  readonly #profile: ChipProfile;
  readonly #fixed: ReadonlyMap<number, number>;
  readonly #written = new Map<number, number>();
  readonly #flash: SpiFlashIdentity;
  #baud = 115_200;

  constructor(chip: EmulatedChip, mac: Uint8Array, flash: SpiFlashIdentity) {
    this.#profile = CHIP_PROFILES[chip];
    this.#fixed = this.#profile.fixedRegisters(mac);
    this.#flash = flash;
  }

  /** The UART's baud rate, which sets the clock divider esptool reads to tell the crystal frequency. */
  setBaudRate(baud: number): void {
    this.#baud = baud;
  }

  read(address: number): number {
    if (address === this.#profile.uartClkdivReg) return this.#uartClkdiv();
    const fixed = this.#fixed.get(address);
    if (fixed !== undefined) return fixed;
    return this.#written.get(address) ?? 0;
  }

  /** WRITE_REG: value under mask, as the ROM does a read-modify-write. Fixed words ignore writes (eFuses are read-only). */
  write(address: number, value: number, mask = 0xffffffff): void {
    if (this.#fixed.has(address) || address === this.#profile.uartClkdivReg) return;
    const old = this.#written.get(address) ?? 0;
    const next = ((old & ~mask) | (value & mask)) >>> 0;
    if (address === this.#profile.spi.base && (next & SPI_CMD_USR) !== 0) {
      this.#runUserCommand();
      this.#written.set(address, (next & ~SPI_CMD_USR) >>> 0);
      return;
    }
    this.#written.set(address, next);
  }

  /** Integer part in bits 0..19, fraction in sixteenths in bits 20..23 (ESP32 TRM §13.5, UART_CLKDIV_REG). */
  #uartClkdiv(): number {
    const whole = Math.floor(CRYSTAL_HZ / this.#baud);
    const frag = Math.floor(((CRYSTAL_HZ / this.#baud) - whole) * 16);
    return ((frag << 20) | whole) >>> 0;
  }

  /** Runs the command set in USR2 against the flash chip and leaves the bytes read in W0, first byte lowest. */
  #runUserCommand(): void {
    const { base, usr, usr2, misoDlen, w0 } = this.#profile.spi;
    const flags = this.#written.get(base + usr) ?? 0;
    const command = (this.#written.get(base + usr2) ?? 0) & 0xff;
    if ((flags & SPI_USR_MISO) === 0) return;
    const bits = ((this.#written.get(base + misoDlen) ?? 0) & 0xffffff) + 1;
    const reply = this.#flashReply(command);
    let word = 0;
    for (let i = 0; i < Math.min(4, Math.ceil(bits / 8)); i++) word |= (reply[i] ?? 0) << (8 * i);
    this.#written.set(base + w0, word >>> 0);
  }

  #flashReply(command: number): readonly number[] {
    switch (command) {
      case 0x9f: // RDID
        return this.#flash.jedecId;
      case 0x05: // RDSR: not busy, not write-enabled
      case 0x35: // RDSR2
        return [0];
      default:
        return [0xff, 0xff, 0xff, 0xff];
    }
  }
}

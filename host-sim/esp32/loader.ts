/**
 * The download-mode command loop: the ROM loader's, and after a flasher stub has been uploaded and
 * started, the stub's (esptool "Serial Protocol" and "Flasher Stub"). One request in, its response
 * packets out, plus what the chip does next (switch baud rate, leave for the firmware, reboot, hang).
 *
 * ROM and stub differ where esptool relies on it: the ROM answers SYNC eight times with a non-zero value
 * and the stub once with 0; the ESP32 ROM sends four status bytes, the ESP32-S3 ROM and the stub two;
 * the ROM gives SPI_FLASH_MD5 as 32 hex characters, the stub as 16 raw bytes; only the stub knows
 * ERASE_FLASH, ERASE_REGION, READ_FLASH and RUN_USER_CODE. A ROM that does not know a command answers
 * with "invalid message" in a response that does not echo the command, which is how esptool tells
 * "unsupported" from "failed" (it probes GET_SECURITY_INFO that way on the ESP32).
 */
import { securityInfo, type ChipProfile } from './chips.js';
import { FlashCommands, type Failure, type Outcome } from './flash-commands.js';
import type { NorFlash } from './flash.js';
import { Command, RomError, StubError, buildResponse, parseRequest, readU32, type Request } from './protocol.js';
import { RamLoader, type StubImage } from './ram-loader.js';
import { ReadFlashStream } from './read-flash.js';
import type { RegisterFile } from './registers.js';

export type Effect =
  | { readonly kind: 'baud'; readonly baud: number }
  | { readonly kind: 'run-firmware' }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'hang' };

export interface Reply {
  readonly packets: Uint8Array[];
  readonly effect?: Effect;
}

const SYNC_VALUE = 0x20120707;
const ROM_SYNC_REPLIES = 8;
const OHAI = new TextEncoder().encode('OHAI');

const ROM_CODES: Record<Failure, number> = {
  invalid: RomError.INVALID_MESSAGE,
  checksum: RomError.INVALID_CRC,
  range: RomError.FAILED_TO_ACT,
  inflate: RomError.DEFLATE,
  'too-much': RomError.DEFLATE,
  'not-enough': RomError.DEFLATE,
  'not-in-flash-mode': RomError.FAILED_TO_ACT,
};

const STUB_CODES: Record<Failure, number> = {
  invalid: StubError.BAD_DATA_LEN,
  checksum: StubError.BAD_DATA_CHECKSUM,
  range: StubError.BAD_DATA_LEN,
  inflate: StubError.INFLATE_ERROR,
  'too-much': StubError.TOO_MUCH_DATA,
  'not-enough': StubError.NOT_ENOUGH_DATA,
  'not-in-flash-mode': StubError.NOT_IN_FLASH_MODE,
};

const NAMES = new Map<number, string>(Object.entries(Command).map(([name, code]) => [code, name]));

export function commandName(code: number): string {
  return NAMES.get(code) ?? `0x${code.toString(16).padStart(2, '0')}`;
}

export class LoaderSession {
  readonly #profile: ChipProfile;
  readonly #flash: NorFlash;
  readonly #registers: RegisterFile;
  readonly #stubImage: () => Promise<StubImage | undefined>;
  readonly #log: (entry: string) => void;
  readonly #flashCommands: FlashCommands;
  readonly #ram = new RamLoader();
  #stub = false;
  #reading: ReadFlashStream | undefined;

  constructor(options: {
    profile: ChipProfile;
    flash: NorFlash;
    registers: RegisterFile;
    stubImage: () => Promise<StubImage | undefined>;
    log: (entry: string) => void;
  }) {
    this.#profile = options.profile;
    this.#flash = options.flash;
    this.#registers = options.registers;
    this.#stubImage = options.stubImage;
    this.#log = options.log;
    this.#flashCommands = new FlashCommands(options.flash);
  }

  /** True once the flasher stub has taken over from the ROM. */
  get stubRunning(): boolean {
    return this.#stub;
  }

  async handle(packet: Uint8Array): Promise<Reply> {
    if (this.#reading !== undefined) return this.#readFlashAck(packet);
    const request = parseRequest(packet);
    if (request === undefined) {
      this.#log(`ignored ${packet.length}-byte packet`);
      return { packets: [] };
    }
    this.#log(this.#describe(request));
    return this.#dispatch(request);
  }

  async #dispatch(request: Request): Promise<Reply> {
    const { command, data } = request;
    switch (command) {
      case Command.SYNC:
        return this.#sync(data);
      case Command.READ_REG:
        if (data.length !== 4) return this.#failed(command, 'invalid');
        return this.#ok(command, undefined, this.#registers.read(readU32(data, 0)));
      case Command.WRITE_REG:
        return this.#writeReg(data);
      case Command.SPI_SET_PARAMS:
        return data.length === 24 ? this.#ok(command) : this.#failed(command, 'invalid');
      case Command.SPI_ATTACH:
        return data.length === 4 || data.length === 8 ? this.#ok(command) : this.#failed(command, 'invalid');
      case Command.CHANGE_BAUDRATE:
        return this.#changeBaud(data);
      case Command.GET_SECURITY_INFO: {
        const info = securityInfo(this.#profile);
        return info === undefined ? this.#unsupported(command) : this.#ok(command, info);
      }
      case Command.MEM_BEGIN:
        return this.#memResult(command, this.#ram.begin(data));
      case Command.MEM_DATA:
        return this.#memResult(command, this.#ram.data(data, request.checksum));
      case Command.MEM_END:
        return this.#memEnd(data);
      case Command.FLASH_BEGIN:
      case Command.FLASH_DEFL_BEGIN:
        return this.#outcome(command, this.#flashCommands.begin(data, command === Command.FLASH_DEFL_BEGIN));
      case Command.FLASH_DATA:
      case Command.FLASH_DEFL_DATA:
        return this.#outcome(command, this.#flashCommands.data(data, request.checksum, command === Command.FLASH_DEFL_DATA));
      case Command.FLASH_END:
      case Command.FLASH_DEFL_END:
        return this.#flashEnd(command, data);
      case Command.SPI_FLASH_MD5:
        return this.#outcome(command, this.#flashCommands.md5(data, !this.#stub));
      default:
        return this.#stub ? this.#stubOnly(request) : this.#unsupported(command);
    }
  }

  #stubOnly(request: Request): Reply {
    const { command, data } = request;
    switch (command) {
      case Command.ERASE_FLASH:
        return this.#outcome(command, this.#flashCommands.eraseAll());
      case Command.ERASE_REGION:
        return this.#outcome(command, this.#flashCommands.eraseRegion(data));
      case Command.READ_FLASH:
        return this.#readFlash(data);
      case Command.RUN_USER_CODE:
        return { packets: [], effect: { kind: 'run-firmware' } };
      default:
        return this.#unsupported(command);
    }
  }

  #sync(data: Uint8Array): Reply {
    const valid = data.length === 36 && data[0] === 0x07 && data[1] === 0x07 && data[2] === 0x12 && data[3] === 0x20 &&
      data.subarray(4).every((byte) => byte === 0x55);
    if (!valid) return this.#failed(Command.SYNC, 'invalid');
    if (this.#stub) return this.#ok(Command.SYNC, undefined, 0);
    const reply = this.#response(Command.SYNC, undefined, SYNC_VALUE, 0);
    return { packets: Array.from({ length: ROM_SYNC_REPLIES }, () => reply.slice()) };
  }

  /** Groups of address, value, mask, delay (µs; nothing here takes time). */
  #writeReg(data: Uint8Array): Reply {
    if (data.length === 0 || data.length % 16 !== 0) return this.#failed(Command.WRITE_REG, 'invalid');
    for (let at = 0; at < data.length; at += 16) {
      this.#registers.write(readU32(data, at), readU32(data, at + 4), readU32(data, at + 8));
    }
    return this.#ok(Command.WRITE_REG);
  }

  /** New baud rate, and (stub) the old one. The answer goes out at the old rate, then the UART switches. */
  #changeBaud(data: Uint8Array): Reply {
    if (data.length !== 8) return this.#failed(Command.CHANGE_BAUDRATE, 'invalid');
    const baud = readU32(data, 0);
    if (baud < 300 || baud > 5_000_000) return this.#failed(Command.CHANGE_BAUDRATE, 'invalid');
    this.#registers.setBaudRate(baud);
    return { packets: this.#ok(Command.CHANGE_BAUDRATE).packets, effect: { kind: 'baud', baud } };
  }

  /** Execute flag (0 = jump to the entry point) and entry point. */
  async #memEnd(data: Uint8Array): Promise<Reply> {
    if (data.length !== 8) return this.#failed(Command.MEM_END, 'invalid');
    const ok = this.#ok(Command.MEM_END);
    if (readU32(data, 0) !== 0) return ok;
    const entry = readU32(data, 4);
    const image = this.#stub ? undefined : await this.#stubImage();
    if (image !== undefined && this.#ram.matches(image, entry)) {
      this.#stub = true;
      this.#ram.clear();
      this.#log(`stub running, entry 0x${entry.toString(16)}`);
      return { packets: [...ok.packets, OHAI.slice()] };
    }
    this.#log(`RAM program at 0x${entry.toString(16)} is not the known flasher stub: the chip stops answering`);
    return { packets: ok.packets, effect: { kind: 'hang' } };
  }

  /** 0 = reboot; 1 = leave the loader and run the firmware (ROM) or stay (stub). */
  #flashEnd(command: number, data: Uint8Array): Reply {
    if (data.length !== 4) return this.#failed(command, 'invalid');
    const outcome = this.#flashCommands.end(command === Command.FLASH_DEFL_END, this.#stub);
    const reply = this.#outcome(command, outcome);
    if (!outcome.ok) return reply;
    if (readU32(data, 0) === 0) return { packets: reply.packets, effect: { kind: 'reboot' } };
    return this.#stub ? reply : { packets: reply.packets, effect: { kind: 'run-firmware' } };
  }

  /** Offset, length, packet size, most packets in flight. */
  #readFlash(data: Uint8Array): Reply {
    if (data.length !== 16) return this.#failed(Command.READ_FLASH, 'invalid');
    const [offset, length, packetSize, maxUnacked] = [0, 4, 8, 12].map((at) => readU32(data, at));
    if (packetSize === 0) return this.#failed(Command.READ_FLASH, 'invalid');
    if (!this.#flash.contains(offset, length)) return this.#failed(Command.READ_FLASH, 'range');
    this.#reading = new ReadFlashStream(this.#flash, offset, length, packetSize, maxUnacked);
    return { packets: [...this.#ok(Command.READ_FLASH).packets, ...this.#reading.pump()] };
  }

  #readFlashAck(packet: Uint8Array): Reply {
    const stream = this.#reading as ReadFlashStream;
    if (!stream.acknowledge(packet)) {
      this.#log('READ_FLASH abandoned: not an acknowledgement');
      this.#reading = undefined;
      return { packets: [] };
    }
    const packets = stream.pump();
    if (stream.finished) this.#reading = undefined;
    return { packets };
  }

  #memResult(command: number, result: ReturnType<RamLoader['begin']>): Reply {
    if (result.ok) return this.#ok(command);
    return this.#failed(command, result.reason === 'checksum' ? 'checksum' : 'invalid');
  }

  #outcome(command: number, outcome: Outcome): Reply {
    return outcome.ok ? this.#ok(command, outcome.data) : this.#failed(command, outcome.failure);
  }

  #ok(command: number, data?: Uint8Array, value = 0): Reply {
    return { packets: [this.#response(command, data, value, 0)] };
  }

  #failed(command: number, failure: Failure): Reply {
    const code = this.#stub ? STUB_CODES[failure] : ROM_CODES[failure];
    this.#log(`${commandName(command)} failed: ${failure} (0x${code.toString(16)})`);
    return { packets: [this.#response(command, undefined, 0, code)] };
  }

  #unsupported(command: number): Reply {
    this.#log(`${commandName(command)} not supported`);
    if (this.#stub) return { packets: [this.#response(command, undefined, 0, StubError.CMD_NOT_IMPLEMENTED)] };
    return { packets: [this.#response(0x00, undefined, 0, RomError.INVALID_MESSAGE)] };
  }

  #response(command: number, data: Uint8Array | undefined, value: number, error: number): Uint8Array {
    const statusBytes = this.#stub ? 2 : this.#profile.romStatusBytes;
    return buildResponse({ command, data, value, error, statusBytes });
  }

  #describe(request: Request): string {
    const name = commandName(request.command);
    if (request.command === Command.READ_REG && request.data.length === 4) {
      return `${name} 0x${readU32(request.data, 0).toString(16).padStart(8, '0')}`;
    }
    return `${name}${this.#stub ? ' (stub)' : ''}`;
  }
}

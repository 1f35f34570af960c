/**
 * Packets of the ESP32 serial loader (esptool "Serial Protocol", "Command Packet" and "Response Packet").
 *
 * Request: direction 0x00, command, data size (u16 LE), checksum (u32 LE, only meaningful for the
 * *_DATA commands), data. Response: direction 0x01, the same command, data size (u16 LE), a value
 * (u32 LE, READ_REG's result), data, then status bytes: failed (0 or 1) and an error code. The ESP32 ROM
 * sends four status bytes (two of them reserved), the ESP32-S3 ROM and the flasher stub send two.
 */
export const Command = {
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
  GET_SECURITY_INFO: 0x14,
  // Flasher stub only.
  ERASE_FLASH: 0xd0,
  ERASE_REGION: 0xd1,
  READ_FLASH: 0xd2,
  RUN_USER_CODE: 0xd3,
} as const;

/** Error codes of the ROM loader (second status byte). */
export const RomError = {
  INVALID_MESSAGE: 0x05,
  FAILED_TO_ACT: 0x06,
  INVALID_CRC: 0x07,
  FLASH_WRITE: 0x08,
  FLASH_READ: 0x09,
  FLASH_READ_LENGTH: 0x0a,
  DEFLATE: 0x0b,
} as const;

/** Error codes of the flasher stub (esptool's stub_flasher.h). */
export const StubError = {
  BAD_DATA_LEN: 0xc0,
  BAD_DATA_CHECKSUM: 0xc1,
  BAD_BLOCKSIZE: 0xc2,
  INVALID_COMMAND: 0xc3,
  FAILED_SPI_OP: 0xc4,
  FAILED_SPI_UNLOCK: 0xc5,
  NOT_IN_FLASH_MODE: 0xc6,
  INFLATE_ERROR: 0xc7,
  NOT_ENOUGH_DATA: 0xc8,
  TOO_MUCH_DATA: 0xc9,
  CMD_NOT_IMPLEMENTED: 0xff,
} as const;

/** The seed of the XOR checksum over a data block's payload. */
export const CHECKSUM_SEED = 0xef;

export function checksum(data: Uint8Array, seed: number = CHECKSUM_SEED): number {
  let state = seed;
  for (const byte of data) state ^= byte;
  return state;
}

export interface Request {
  readonly command: number;
  readonly checksum: number;
  readonly data: Uint8Array;
}

/** Reads a request packet, or returns undefined for anything that is not one (wrong direction, short, size mismatch). */
export function parseRequest(packet: Uint8Array): Request | undefined {
  if (packet.length < 8 || packet[0] !== 0x00) return undefined;
  const size = packet[2] | (packet[3] << 8);
  if (packet.length !== 8 + size) return undefined;
  return { command: packet[1], checksum: readU32(packet, 4), data: packet.subarray(8) };
}

export interface ResponseParts {
  readonly command: number;
  readonly value?: number;
  readonly data?: Uint8Array;
  /** 0 for success; otherwise the error code, sent with the "failed" byte set. */
  readonly error?: number;
  /** 2 or 4. */
  readonly statusBytes: number;
}

export function buildResponse(parts: ResponseParts): Uint8Array {
  const data = parts.data ?? new Uint8Array(0);
  const body = data.length + parts.statusBytes;
  const out = new Uint8Array(8 + body);
  out[0] = 0x01;
  out[1] = parts.command;
  out[2] = body & 0xff;
  out[3] = body >> 8;
  writeU32(out, 4, parts.value ?? 0);
  out.set(data, 8);
  const error = parts.error ?? 0;
  out[8 + data.length] = error === 0 ? 0 : 1;
  out[9 + data.length] = error;
  return out;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

export function u32le(...values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((value, index) => writeU32(out, index * 4, value));
  return out;
}

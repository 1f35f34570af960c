/**
 * The bytes of a buffer handed to an emulated SPI port: ECMA-419 takes an ArrayBuffer or any view of
 * one. A Uint8Array, what the drivers pass, is used as it is; writing through the result writes the caller's buffer.
 * No Node APIs.
 */
export type ByteBuffer = ArrayBuffer | ArrayBufferView;

export function bytesOf(buffer: ByteBuffer): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer;
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError('SPI buffer must be an ArrayBuffer or a view of one');
}

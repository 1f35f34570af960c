/**
 * The UART line between the USB bridge and the chip. Both ends must use the same baud rate; when they do
 * not, what arrives is garbage: bytes framed at the wrong bit time come out as other bytes, fewer of them
 * when the sender is slower than the receiver expects and more when it is faster. The garbling here is
 * deterministic (same input, same garbage) but keeps no byte's value, so no packet survives it.
 */
export const ROM_BAUD = 115_200;

export function garble(bytes: Uint8Array, senderBaud: number, receiverBaud: number): Uint8Array {
  const count = Math.max(1, Math.round((bytes.length * receiverBaud) / senderBaud));
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const source = bytes[Math.min(bytes.length - 1, Math.floor((i * senderBaud) / receiverBaud))];
    // s·0x9D + 0x55 ≡ s (mod 256) would need 0x9C·s ≡ −0x55, even ≡ odd: no byte maps to itself.
    out[i] = (source * 0x9d + 0x55) & 0xff;
  }
  return out;
}

/** What one end receives of what the other sent. */
export function transmit(bytes: Uint8Array, senderBaud: number, receiverBaud: number): Uint8Array {
  if (bytes.length === 0 || senderBaud === receiverBaud) return bytes;
  return garble(bytes, senderBaud, receiverBaud);
}

/**
 * An independent CBOR writer for tests and vector generators (RFC 8949 §3). It shares no code with
 * proofs/cbor.ts, so bytes written with it check covey's encoder rather than repeat it.
 *
 * By default every head is as short as possible (RFC 8949 §4.2.1). `Wide` asks for a longer head and
 * `Indefinite` for an indefinite-length array (§3.2.2), so a test can spell a value in exactly the
 * forms a strict decoder must refuse; `Raw` splices bytes in as they are.
 */

export type Spelling = number | bigint | string | Uint8Array | readonly Spelling[] | Wide | Raw | Indefinite;
type Item = number | bigint | string | Uint8Array | readonly Spelling[];

/** An item whose head carries its argument in `argumentBytes` bytes, shortest or not. */
export class Wide {
  constructor(
    readonly item: Item,
    readonly argumentBytes: 1 | 2 | 4 | 8,
  ) {}
}

/** Bytes written as they are: an item encoded elsewhere. */
export class Raw {
  constructor(readonly bytes: Uint8Array) {}
}

/** An indefinite-length array: 0x9f, the items, 0xff. */
export class Indefinite {
  constructor(readonly items: readonly Spelling[]) {}
}

/** Additional-information values for 1-, 2-, 4- and 8-byte arguments (RFC 8949 §3). */
const ADDITIONAL_INFO = { 1: 24, 2: 25, 4: 26, 8: 27 } as const;

export function shortestArgumentBytes(argument: bigint): 0 | 1 | 2 | 4 | 8 {
  if (argument < 24n) return 0;
  if (argument < 0x100n) return 1;
  if (argument < 0x10000n) return 2;
  if (argument < 0x100000000n) return 4;
  return 8;
}

/** The head of an item: major type and argument, the argument in `argumentBytes` bytes (0: in the first). */
export function head(major: number, argument: bigint, argumentBytes = shortestArgumentBytes(argument)): Uint8Array {
  if (argumentBytes === 0) return Uint8Array.of((major << 5) | Number(argument));
  const out = new Uint8Array(1 + argumentBytes);
  out[0] = (major << 5) | ADDITIONAL_INFO[argumentBytes];
  for (let i = 0; i < argumentBytes; i++) out[argumentBytes - i] = Number((argument >> BigInt(8 * i)) & 0xffn);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Major type, argument and content of an item (RFC 8949 §3.1). */
function parts(item: Item): { major: number; argument: bigint; content: Uint8Array[] } {
  if (typeof item === 'number' || typeof item === 'bigint') {
    if (typeof item === 'number' && !Number.isSafeInteger(item)) throw new RangeError(`not an integer: ${item}`);
    const n = BigInt(item);
    return n >= 0n ? { major: 0, argument: n, content: [] } : { major: 1, argument: -1n - n, content: [] };
  }
  if (item instanceof Uint8Array) return { major: 2, argument: BigInt(item.length), content: [item] };
  if (typeof item === 'string') {
    const utf8 = new TextEncoder().encode(item);
    return { major: 3, argument: BigInt(utf8.length), content: [utf8] };
  }
  return { major: 4, argument: BigInt(item.length), content: item.map(spell) };
}

/** The bytes of `value`, written as the spelling says. */
export function spell(value: Spelling): Uint8Array {
  if (value instanceof Raw) return value.bytes;
  if (value instanceof Indefinite) return concat([Uint8Array.of(0x9f), ...value.items.map(spell), Uint8Array.of(0xff)]);
  const item = value instanceof Wide ? value.item : value;
  const { major, argument, content } = parts(item);
  const width = value instanceof Wide ? value.argumentBytes : shortestArgumentBytes(argument);
  return concat([head(major, argument, width), ...content]);
}

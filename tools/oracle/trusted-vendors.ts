/**
 * The vendors an oracle trusts to attest devices: `covey oracle --trusted-vendors <file>`, a JSON file
 *
 *   {
 *     "vendors": [
 *       { "name": "Acme Radio Works", "publicKey": "<64 hex digits, or the cv… address>" }
 *     ]
 *   }
 *
 * `covey vendor init` prints the entry for a new vendor key. Names are what the read side shows; keys are
 * what certificates are checked against. A file that is not exactly this shape is refused as a whole,
 * with the entry and the field at fault, so that a typo never quietly trusts nobody (or somebody else).
 */
import { hotspotAddress, parseHotspotId, toHex } from '../../proofs/index.js';

/** 1–64 printable characters, neither starting nor ending with a space. */
const NAME_PATTERN = /^\S(?:[^\p{Cc}]{0,62}\S)?$/u;

export interface TrustedVendor {
  readonly name: string;
  readonly publicKey: Uint8Array;
}

/** A trusted-vendors file that cannot be used, with a one-line reason naming the entry at fault. */
export class TrustedVendorsError extends Error {
  override get name(): string {
    return 'TrustedVendorsError';
  }
}

export class TrustedVendors {
  private readonly byHex: ReadonlyMap<string, TrustedVendor>;

  constructor(readonly vendors: readonly TrustedVendor[] = []) {
    this.byHex = new Map(vendors.map((vendor) => [toHex(vendor.publicKey), vendor]));
  }

  /** The trusted vendor with this key, or undefined. */
  vendor(publicKey: Uint8Array): TrustedVendor | undefined {
    return this.byHex.get(toHex(publicKey));
  }

  get size(): number {
    return this.vendors.length;
  }
}

/** An oracle without a trusted-vendors file attests nobody: every hotspot is DIY. */
export const NO_TRUSTED_VENDORS = new TrustedVendors();

/** Reads the text of a trusted-vendors file; `source` names it in errors. */
export function parseTrustedVendors(text: string, source = 'trusted vendors'): TrustedVendors {
  const bad = (why: string) => new TrustedVendorsError(`${source}: ${why}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(document)) throw bad('must be a JSON object {"vendors": [...]}');
  const extra = Object.keys(document).filter((key) => key !== 'vendors');
  if (extra.length > 0) throw bad(`unknown field "${extra[0]}" (only "vendors")`);
  if (!Array.isArray(document.vendors)) throw bad('"vendors" must be an array of {"name", "publicKey"}');
  const names = new Set<string>();
  const keys = new Map<string, string>();
  const vendors = document.vendors.map((entry: unknown, i: number): TrustedVendor => {
    const at = `vendors[${i}]`;
    if (!isObject(entry)) throw bad(`${at} must be an object {"name", "publicKey"}`);
    const unknown = Object.keys(entry).filter((key) => key !== 'name' && key !== 'publicKey');
    if (unknown.length > 0) throw bad(`${at}: unknown field "${unknown[0]}"`);
    const { name, publicKey } = entry;
    if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
      throw bad(`${at}: "name" must be 1–64 printable characters, not starting or ending with a space`);
    }
    if (names.has(name)) throw bad(`${at}: the name "${name}" is listed twice`);
    if (typeof publicKey !== 'string') throw bad(`${at} ("${name}"): "publicKey" must be 64 hex digits or a cv… address`);
    let key: Uint8Array;
    try {
      key = parseHotspotId(publicKey);
    } catch (error) {
      throw bad(`${at} ("${name}"): "publicKey" ${error instanceof Error ? error.message : String(error)}`);
    }
    const hex = toHex(key);
    const twin = keys.get(hex);
    if (twin !== undefined) throw bad(`${at} ("${name}"): the key ${hotspotAddress(key)} is already listed for "${twin}"`);
    names.add(name);
    keys.set(hex, name);
    return { name, publicKey: key };
  });
  return new TrustedVendors(vendors);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

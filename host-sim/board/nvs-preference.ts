/**
 * Moddable's `preference` module on an emulated board: the values live in the `nvs` partition of the
 * board's flash, in ESP-IDF's NVS format (tools/nvs). At boot the partition is read with readNvsImage, as
 * the firmware's NVS would mount it (entries whose CRC fails are skipped); every set or delete then
 * rewrites the whole partition with writeNvsImage, so the flash always holds an image that ESP-IDF — and
 * `covey flash --settings`, and a test reading the flash back — would read the same way.
 *
 * Faithful to the semantics (what a reader of the partition finds after each call, across resets), not
 * to the wear: real NVS appends entries to a page and erases pages only when it runs out, while this
 * rewrites every page each time. The rules on names, types and sizes are FakePreference's
 * (tools/xs/moddable-fakes/fake-storage.ts), which follow modPreference.c: booleans are stored as u8 and
 * read back as booleans, numbers as i32, strings as strings, ArrayBuffers as blobs.
 */
import { readNvsImage, writeNvsImage, type IntegerType, type NvsItem, type NvsReadItem } from '../../tools/nvs/index.js';
import type { PreferenceModule, PreferenceValue } from '../../hal/moddable/moddable-api.js';
import { FakePreference } from '../../tools/xs/moddable-fakes/fake-storage.js';

export interface NvsRegion {
  /** The whole flash. */
  readonly flash: Uint8Array;
  readonly offset: number;
  readonly size: number;
}

/** What Preference reads back of an item from the image; undefined for a type it has no value for (64-bit). */
function preferenceValue(item: NvsReadItem): PreferenceValue | undefined {
  if (typeof item.value === 'string') return item.value;
  if (item.value instanceof Uint8Array) return item.value.slice().buffer;
  if (typeof item.value === 'bigint') return undefined;
  return item.type === 'u8' ? item.value !== 0 : item.value;
}

export class NvsPreference implements PreferenceModule {
  /** Problems readNvsImage found at boot (skipped entries), for tests. */
  readonly problems: readonly string[];
  /** Whole-partition rewrites so far. */
  writes = 0;
  private readonly region: NvsRegion;
  private readonly values = new FakePreference();
  private readonly domains = new Set<string>();
  /** Integer types read from the image other than Preference's own, kept until the key is set again. */
  private readonly integerTypes = new Map<string, IntegerType>();
  private readonly live: () => boolean;

  /** `live`: false once the board lost power; every call then throws, as nothing runs any more. */
  constructor(region: NvsRegion, live: () => boolean = () => true) {
    this.region = region;
    this.live = live;
    const contents = readNvsImage(region.flash.subarray(region.offset, region.offset + region.size));
    this.problems = contents.problems.map((problem) => problem.reason);
    for (const item of contents.items) {
      const value = preferenceValue(item);
      if (value === undefined) continue;
      try {
        this.values.set(item.namespace, item.key, value);
      } catch {
        continue; // a value Preference could not have written (a blob over 4,000 bytes): not readable through it either
      }
      this.domains.add(item.namespace);
      if (item.type !== 'string' && item.type !== 'blob' && item.type !== 'u8' && item.type !== 'i32') {
        this.integerTypes.set(`${item.namespace}/${item.key}`, item.type);
      }
    }
  }

  get(domain: string, key: string): PreferenceValue | undefined {
    this.assertLive();
    return this.values.get(domain, key);
  }

  set(domain: string, key: string, value: string | boolean | number | ArrayBuffer): void {
    this.assertLive();
    this.values.set(domain, key, value);
    this.domains.add(domain);
    this.integerTypes.delete(`${domain}/${key}`);
    this.persist();
  }

  delete(domain: string, key: string): void {
    this.assertLive();
    if (this.values.get(domain, key) === undefined) return;
    this.values.delete(domain, key);
    this.integerTypes.delete(`${domain}/${key}`);
    this.persist();
  }

  /** The values of `domain`, as Preference returns them. */
  entries(domain: string): Record<string, PreferenceValue> {
    const out: Record<string, PreferenceValue> = {};
    for (const key of this.values.keys(domain)) out[key] = this.values.get(domain, key) as PreferenceValue;
    return out;
  }

  private persist(): void {
    const items: NvsItem[] = [];
    for (const namespace of this.domains) {
      for (const key of this.values.keys(namespace)) {
        const value = this.values.get(namespace, key) as PreferenceValue;
        const integerType = this.integerTypes.get(`${namespace}/${key}`);
        const nvsValue = value instanceof ArrayBuffer ? new Uint8Array(value)
          : integerType !== undefined && typeof value === 'number' ? { type: integerType, value } : value;
        items.push({ namespace, key, value: nvsValue });
      }
    }
    const { flash, offset, size } = this.region;
    flash.set(writeNvsImage(items, size), offset);
    this.writes++;
  }

  private assertLive(): void {
    if (!this.live()) throw new Error('nvs: the board is off');
  }
}

/**
 * RecentBeacons (tools/oracle/verifier/recent-beacons.ts): inside its cover it answers exactly what the
 * store's beaconsOf() would; outside it, it says it does not know.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { toHex } from '../../proofs/bytes.js';
import type { ItemFields, StoredItem } from '../../tools/oracle/model.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { pendingItem } from '../../tools/oracle/verifier/pending.js';
import { RecentBeacons } from '../../tools/oracle/verifier/recent-beacons.js';

const T0 = 1_800_000_000_000;
const keys = ['ann', 'ben', 'cy'].map((name) => bytes(name));

function bytes(label: string, n = 32): Uint8Array {
  return new Uint8Array(createHash('sha256').update(label).digest()).subarray(0, n);
}

function item(n: number, who: number, kind: 'beacon' | 'witness', receivedMs: number): ItemFields {
  return {
    id: bytes(`id ${n}`, 16), uploader: keys[who], kind, body: bytes(`body ${n}`), receivedMs, digest: bytes(`digest ${n}`),
    frequencyHz: 868_100_000, dataRate: 5, timeMs: receivedMs - 100,
  };
}

const ids = (items: readonly StoredItem[]) => items.map((i) => toHex(i.id)).sort();

test('inside its cover it finds the same beacon reports as the store, whatever arrives and whatever is asked', async () => {
  const arrival = fc.record({ who: fc.integer({ min: 0, max: 2 }), beacon: fc.boolean(), gapMs: fc.integer({ min: 0, max: 5_000 }) });
  const query = fc.record({ who: fc.integer({ min: 0, max: 2 }), fromMs: fc.integer({ min: 0, max: 60_000 }), spanMs: fc.integer({ min: 0, max: 30_000 }) });
  await fc.assert(fc.asyncProperty(fc.array(arrival, { maxLength: 40 }), fc.array(query, { minLength: 1, maxLength: 10 }), async (arrivals, queries) => {
    const store = SqliteStore.open(':memory:');
    const recent = new RecentBeacons(T0);
    let at = T0;
    for (const [n, a] of arrivals.entries()) {
      at += a.gapMs;
      const stored = item(n, a.who, a.beacon ? 'beacon' : 'witness', at);
      await store.insertItems([stored]);
      recent.add(pendingItem(stored));
    }
    for (const q of queries) {
      const [fromMs, toMs] = [T0 + q.fromMs, T0 + q.fromMs + q.spanMs];
      const fromMemory = recent.around(keys[q.who], fromMs, toMs);
      expect(fromMemory).toBeDefined();
      expect(ids(fromMemory ?? [])).toEqual(ids(await store.beaconsOf(keys[q.who], fromMs, toMs)));
    }
    await store.close();
  }), { numRuns: 60 });
});

test('a window that starts before the cover is not answered from memory', () => {
  const recent = new RecentBeacons(T0);
  recent.add(pendingItem(item(1, 0, 'beacon', T0 + 10)));
  expect(recent.around(keys[0], T0 - 1, T0 + 100)).toBeUndefined();
  expect(recent.around(keys[0], T0, T0 + 100)?.length).toBe(1);
});

test('forget() drops older reports and moves the cover up, never down', () => {
  const recent = new RecentBeacons(T0);
  recent.add(pendingItem(item(1, 0, 'beacon', T0 + 10)));
  recent.add(pendingItem(item(2, 0, 'beacon', T0 + 500)));
  recent.forget(T0 + 100);
  expect(recent.around(keys[0], T0 + 50, T0 + 1000)).toBeUndefined();
  expect(ids(recent.around(keys[0], T0 + 100, T0 + 1000) ?? [])).toEqual([toHex(bytes('id 2', 16))]);
  recent.forget(T0);
  expect(recent.around(keys[0], T0 + 50, T0 + 1000)).toBeUndefined();
});

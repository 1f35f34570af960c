/**
 * The air's list arena (host-sim/air/list-arena.ts): every list it hands out is zeroed, has
 * the length asked for, and shares no entry with any other, across buffers and for lists too long to share.
 */
import fc from 'fast-check';
import { ListArena } from '../../host-sim/air/list-arena.js';

test('lists come zeroed, of the length asked, and never overlap', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }), (lengths) => {
    const arena = new ListArena((n) => new Int32Array(n), 64);
    const lists = lengths.map((length) => arena.take(length));
    lists.forEach((list, i) => {
      expect(list.length).toBe(lengths[i]);
      expect(list.every((v) => v === 0)).toBe(true);
      list.fill(i + 1);
    });
    // Had two lists shared an entry, the later fill would show in the earlier list.
    lists.forEach((list, i) => expect(list.every((v) => v === i + 1)).toBe(true));
  }));
});

test('a list longer than a quarter of a buffer stands alone, and shorter ones share', () => {
  const arena = new ListArena((n) => new Float64Array(n), 64);
  const long = arena.take(17);
  expect(long.buffer.byteLength).toBe(17 * 8);
  const a = arena.take(16);
  const b = arena.take(16);
  expect(a.buffer).toBe(b.buffer);
  expect(a.buffer.byteLength).toBe(64 * 8);
});

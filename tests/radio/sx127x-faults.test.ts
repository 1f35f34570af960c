/**
 * The SX127x driver recovering from the faults the SX1276 emulator injects: a TX that never finishes, a
 * brown-out (the chip back at its reset values), garbage on SPI reads, and a chip that stops answering.
 * Recovery = NRESET pulse, version check, settings rewritten, reception resumed, counted in stats.
 */
import { advance, bytes, testbed, track, type Testbed } from '../support/sx127x.js';

let bed: Testbed;

beforeEach(() => {
  bed = testbed();
});

/** A deterministic rng (mulberry32) for the probabilistic corruption. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a stuck TX', () => {
  test('is rejected with TxTimeout after twice its airtime, once the chip is reset', async () => {
    const a = bed.node('a');
    a.chip.stuckTx();
    bed.clock.advance(1);
    const started = bed.clock.now();
    const sent = track(a.radio.transmit(bytes(10)));
    await advance(bed.clock, 30);
    expect(sent.state).toBe('pending'); // 10 B at SF7 is 41 ms on air: the watchdog waits longer
    await advance(bed.clock, 100);
    expect(sent.state).toBe('rejected');
    expect(sent.error).toMatchObject({ code: 'TxTimeout' });
    expect(bed.clock.now() - started).toBeGreaterThanOrEqual(2 * 41);
    expect(a.radio.stats.recoveries).toBe(1);
  });

  test('leaves a radio that transmits again', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    a.chip.stuckTx();
    const first = track(a.radio.transmit(bytes(10)));
    await advance(bed.clock, 200);
    expect(first.state).toBe('rejected');
    const second = track(a.radio.transmit(bytes(11)));
    await advance(bed.clock, 200);
    expect(second.state).toBe('resolved');
    expect(b.packets.map((p) => p.payload)).toEqual([bytes(11)]);
    expect(a.radio.stats).toMatchObject({ txPackets: 1, recoveries: 1 });
  });

  test('is reported to the caller, not to onError', async () => {
    const a = bed.node('a');
    a.chip.stuckTx();
    void a.radio.transmit(bytes(10)).catch(() => undefined);
    await advance(bed.clock, 200);
    expect(a.errors).toEqual([]);
  });

  test('resumes the reception it interrupted', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    a.listen();
    a.chip.stuckTx();
    void a.radio.transmit(bytes(10)).catch(() => undefined);
    await advance(bed.clock, 200);
    void b.radio.transmit(bytes(12));
    await advance(bed.clock, 200);
    expect(a.packets.map((p) => p.payload)).toEqual([bytes(12)]);
  });
});

describe('a CAD that never finishes', () => {
  test('is rejected with CadTimeout after a recovery (a brown-out in mid-CAD)', async () => {
    const a = bed.node('a');
    bed.clock.advance(1);
    const detected = track(a.radio.detectActivity());
    a.chip.brownOut();
    await advance(bed.clock, 100);
    expect(detected.state).toBe('rejected');
    expect(detected.error).toMatchObject({ code: 'CadTimeout' });
    expect(a.radio.stats.recoveries).toBe(1);
    expect(a.chip.registers[0x01]).toBe(0x81);
  });
});

describe('a brown-out', () => {
  test('while receiving is found by the health check, reported, and reception resumes', async () => {
    const a = bed.node('a');
    const b = bed.node('b', { healthCheckMs: 1_000 });
    b.listen();
    b.chip.brownOut();
    expect(b.chip.registers[0x01]).toBe(0x09);
    await advance(bed.clock, 1_100);
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.errors).toEqual([expect.objectContaining({ code: 'ChipFault' })]);
    expect(b.chip.registers[0x01]).toBe(0x85);
    void a.radio.transmit(bytes(7));
    await advance(bed.clock, 200);
    expect(b.packets.map((p) => p.payload)).toEqual([bytes(7)]);
  });

  test('the health check costs one SPI transaction a period and keeps running', async () => {
    const b = bed.node('b', { healthCheckMs: 1_000 });
    b.listen();
    const before = b.radio.stats.spiTransactions;
    await advance(bed.clock, 5_000);
    expect(b.radio.stats.spiTransactions - before).toBe(5);
    b.chip.brownOut();
    await advance(bed.clock, 1_000);
    expect(b.radio.stats.recoveries).toBe(1);
  });

  test('is not looked for with the health check off, until the next operation', async () => {
    const b = bed.node('b', { healthCheckMs: 0 });
    b.listen();
    b.chip.brownOut();
    await advance(bed.clock, 60_000);
    expect(b.radio.stats.recoveries).toBe(0);
    void b.radio.transmit(bytes(3));
    await advance(bed.clock, 100);
    expect(b.radio.stats).toMatchObject({ recoveries: 1, txPackets: 1 });
  });

  test('restores every setting, not only the mode', async () => {
    const b = bed.node('b', { healthCheckMs: 1_000, spreadingFactor: 9, syncWord: 0x34, frequencyHz: 915_000_000 });
    b.listen();
    const before = b.chip.registers;
    b.chip.brownOut();
    await advance(bed.clock, 1_100);
    expect(b.chip.registers.subarray(0x06, 0x40)).toEqual(before.subarray(0x06, 0x40));
  });

  test('while idle is found by the next transmit, which still goes out', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    a.chip.brownOut();
    const sent = track(a.radio.transmit(bytes(5)));
    await advance(bed.clock, 200);
    expect(sent.state).toBe('resolved');
    expect(b.packets.map((p) => p.payload)).toEqual([bytes(5)]);
    expect(a.radio.stats.recoveries).toBe(1);
  });
});

describe('garbage on SPI reads', () => {
  test('a corrupted read-back at transmit is recovered and the packet still goes out', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    bed.clock.advance(1);
    a.chip.corruptSpiReads(1);
    const sent = track(a.radio.transmit(bytes(6)));
    await advance(bed.clock, 200);
    expect(sent.state).toBe('resolved');
    expect(a.radio.stats.recoveries).toBe(1);
    expect(b.packets.map((p) => p.payload)).toEqual([bytes(6)]);
  });

  test('a corrupted read while a packet comes in is recovered and reported', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    void a.radio.transmit(bytes(6));
    await advance(bed.clock, 10);
    b.chip.corruptSpiReads(1); // the first byte of the RxDone burst, RegFifoRxBaseAddr
    await advance(bed.clock, 200);
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.errors).toEqual([expect.objectContaining({ code: 'ChipFault' })]);
    void a.radio.transmit(bytes(3));
    await advance(bed.clock, 200);
    expect(b.packets.at(-1)?.payload).toEqual(bytes(3));
  });

  test('with 1 % of bytes corrupted, every recovery is counted and the radio keeps working', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    a.chip.corruptSpiReads({ probability: 0.01, rng: seeded(7) });
    let resolved = 0;
    for (let i = 0; i < 40; i++) {
      const sent = track(a.radio.transmit(bytes(16, i)));
      await advance(bed.clock, 300);
      if (sent.state === 'resolved') resolved++;
    }
    a.chip.corruptSpiReads(0);
    expect(a.radio.stats.recoveries).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThan(30);
    await Promise.all([a.radio.transmit(bytes(16, 99)), advance(bed.clock, 300)]);
    expect(b.packets.at(-1)?.payload).toEqual(bytes(16, 99));
  });
});

describe('a chip that stops answering', () => {
  test('fails the operation with NoChip after the recovery attempts', async () => {
    const a = bed.node('a');
    bed.clock.advance(1);
    a.chip.corruptSpiReads({ probability: 1, rng: seeded(1) });
    const sent = track(a.radio.transmit(bytes(4)));
    await advance(bed.clock, 100);
    expect(sent.state).toBe('rejected');
    expect(sent.error).toMatchObject({ code: 'NoChip' });
  });

  test('is tried again by the next operation once it answers', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    bed.clock.advance(1);
    a.chip.corruptSpiReads({ probability: 1, rng: seeded(1) });
    void a.radio.transmit(bytes(4)).catch(() => undefined);
    await advance(bed.clock, 100);
    a.chip.corruptSpiReads(0);
    const sent = track(a.radio.transmit(bytes(4)));
    await advance(bed.clock, 200);
    expect(sent.state).toBe('resolved');
    expect(b.packets).toHaveLength(1);
  });
});

describe('close() during a recovery', () => {
  test('rejects the waiting transmit with Closed and nothing runs afterwards', async () => {
    const a = bed.node('a');
    a.chip.stuckTx();
    const sent = track(a.radio.transmit(bytes(10)));
    // The transmit starts at 1 ms (the oscillator after start-up), its 41 ms airtime gives an 83 ms
    // watchdog, so at 86 ms the reset pulse is over and the chip not yet ready.
    await advance(bed.clock, 86);
    expect(a.radio.stats.recoveries).toBe(1);
    expect(sent.state).toBe('pending');
    a.radio.close();
    await advance(bed.clock, 100);
    expect(sent.error).toMatchObject({ code: 'Closed' });
    expect(a.radio.stats.recoveries).toBe(1);
    expect(a.chip.openIo).toBe(0);
    expect(a.errors).toEqual([]);
  });
});

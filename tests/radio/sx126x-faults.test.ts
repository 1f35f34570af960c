/**
 * Injected chip faults (host-sim/chips/sx1262.ts) and the SX126x driver's recovery from each: a stuck
 * BUSY, a stuck TX, garbage on SPI, a brown-out. Recovery is reset + reconfigure, counted in
 * stats.recoveries; afterwards the radio works again.
 */
import type { RadioPacket } from '../../src/ports.js';
import { bytes, settle, testbed } from '../support/sx126x.js';

/** Two nodes, b receiving; the health check is off unless `options` leaves it at its default. */
function pair(options: { healthCheckMs?: number } = { healthCheckMs: 0 }) {
  const bed = testbed();
  const errors: { a: Error[]; b: Error[] } = { a: [], b: [] };
  const a = bed.node('a', { driver: { onError: (e) => errors.a.push(e), ...options } });
  const b = bed.node('b', { driver: { onError: (e) => errors.b.push(e), ...options } });
  bed.air.setLoss('a', 'b', 100);
  const heard: RadioPacket[] = [];
  b.radio.receive((packet) => heard.push(packet));
  /** a sends a packet of `length` bytes and time runs until it is over. */
  const exchange = async (length: number) => {
    const sent = a.radio.transmit(bytes(length));
    bed.clock.advance(500);
    await sent;
  };
  return { ...bed, a, b, heard, errors, exchange };
}

const codes = (errors: Error[]) => errors.map((e) => (e as Error & { code?: string }).code);

describe('stuck BUSY', () => {
  test('met when a transmit starts: reported, chip reset, the transmit goes ahead', async () => {
    const { a, heard, errors, exchange } = pair();
    a.chip.stuckBusy();
    await exchange(9);
    expect(codes(errors.a)).toEqual(['BusyStuck']);
    expect(a.radio.stats.recoveries).toBe(1);
    expect(heard.map((p) => p.payload.length)).toEqual([9]);
  });

  test('met in the RX interrupt: reported, chip reset, reception resumed', async () => {
    const { b, heard, errors, exchange } = pair();
    b.chip.stuckBusy();
    await exchange(5);
    expect(codes(errors.b)).toEqual(['BusyStuck']);
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.chip.mode).toBe('rx');
    await exchange(6);
    expect(heard.map((p) => p.payload.length)).toEqual([6]);
  });

  test('met by rssi(): the chip is reset and the caller gets BusyStuck', () => {
    const { b } = pair();
    b.chip.stuckBusy();
    expect(() => b.radio.rssi()).toThrow(expect.objectContaining({ code: 'BusyStuck' }));
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.chip.mode).toBe('rx');
  });
});

describe('stuck TX', () => {
  test('no TxDone within twice the time on air rejects with TxTimeout and resets the chip', async () => {
    const { a, clock } = pair();
    a.chip.stuckTx();
    let code: string | null = null;
    void a.radio.transmit(bytes(16)).catch((error: { code: string }) => void (code = error.code));
    // 16 bytes at SF7/125 kHz, 4/5, preamble 8, CRC: 51.456 ms on air (radio.md §1), so the watchdog is 102.912 ms.
    clock.advance(102);
    await settle();
    expect(code).toBeNull();
    clock.advance(1);
    await settle();
    expect(code).toBe('TxTimeout');
    expect(a.radio.stats.recoveries).toBe(1);
    expect(a.chip.mode).toBe('standbyRc');
  });

  test('after a TX timeout the radio transmits again', async () => {
    const { a, heard, exchange } = pair();
    a.chip.stuckTx();
    await expect(exchange(20)).rejects.toMatchObject({ code: 'TxTimeout' });
    await exchange(21);
    expect(heard.map((p) => p.payload.length)).toContain(21);
    expect(a.radio.stats.txPackets).toBe(1);
  });
});

describe('garbage on SPI', () => {
  test.each([0xff, 0x00])('status bytes reading %i when a transmit starts: reported, reset, transmit goes ahead', async (fill) => {
    const { a, heard, errors, exchange } = pair();
    a.chip.corruptSpiReads(1, fill);
    await exchange(12);
    expect(codes(errors.a)).toEqual(['ChipFault']);
    expect(a.radio.stats.recoveries).toBe(1);
    expect(heard.map((p) => p.payload.length)).toEqual([12]);
  });

  test('garbage in the RX interrupt: reported, reset, reception resumed', async () => {
    const { b, heard, errors, exchange } = pair();
    b.chip.corruptSpiReads(1);
    await exchange(7);
    expect(codes(errors.b)).toEqual(['ChipFault']);
    expect(b.radio.stats.recoveries).toBe(1);
    await exchange(8);
    expect(heard.map((p) => p.payload.length)).toEqual([8]);
  });

  test('a chip that stays garbled is NoChip, and the next call tries again', async () => {
    const { a, heard, exchange } = pair();
    a.chip.corruptSpiReads(2);
    await expect(exchange(3)).rejects.toMatchObject({ code: 'NoChip' });
    await exchange(4);
    expect(heard.map((p) => p.payload.length)).toEqual([4]);
    expect(a.radio.stats.recoveries).toBe(2);
  });
});

describe('brown-out', () => {
  test('before a transmit: found by the packet type check, reconfigured, reported, transmit goes ahead', async () => {
    const { a, heard, errors, exchange } = pair();
    a.radio.configure({ spreadingFactor: 8 });
    a.chip.brownOut();
    expect(a.chip.config.packetType).toBe(0);
    a.radio.configure({});
    expect(codes(errors.a)).toEqual(['ChipFault']);
    expect(a.chip.config.spreadingFactor).toBe(8);
    a.radio.configure({ spreadingFactor: 7 });
    await exchange(10);
    expect(heard.map((p) => p.payload.length)).toEqual([10]);
    expect(a.radio.stats.recoveries).toBe(1);
  });

  test('while receiving: the health check (every 10 s by default) finds it, recovers and resumes reception', async () => {
    const { b, clock, heard, errors, exchange } = pair({});
    b.chip.brownOut();
    clock.advance(9_999);
    expect(b.radio.stats.recoveries).toBe(0);
    clock.advance(1);
    expect(codes(errors.b)).toEqual(['ChipFault']);
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.chip.mode).toBe('rx');
    await exchange(11);
    expect(heard.map((p) => p.payload.length)).toEqual([11]);
  });

  test('while receiving without a health check: deaf until rssi() sees the chip out of RX', () => {
    const { b } = pair();
    b.chip.brownOut();
    expect(b.chip.mode).toBe('standbyRc');
    expect(() => b.radio.rssi()).toThrow(expect.objectContaining({ code: 'ChipFault' }));
    expect(b.radio.stats.recoveries).toBe(1);
    expect(b.chip.mode).toBe('rx');
  });
});

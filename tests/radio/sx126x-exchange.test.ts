/**
 * The SX126x driver and the SX1262 emulator exchanging packets over a TestAir, time driven by a
 * VirtualClock: TX → RX with RSSI/SNR decoding, CRC errors, IRQ handling, BUSY respected, reception
 * resuming, rssi(), channel activity detection, sleep and close().
 */
import { airtime } from '../../hal/radio/airtime.js';
import { RadioError } from '../../hal/drivers/sx126x/sx126x.js';
import { noiseFloorDbm } from '../../host-sim/air/air.js';
import type { RadioPacket } from '../../src/ports.js';
import { bytes, settle, testbed } from '../support/sx126x.js';

/** Path loss for a strong link: 14 dBm − 100 dB = −86 dBm. */
const NEAR_DB = 100;

function pair(lossDb = NEAR_DB) {
  const bed = testbed();
  const a = bed.node('a');
  const b = bed.node('b');
  bed.air.setLoss('a', 'b', lossDb);
  const heard: RadioPacket[] = [];
  b.radio.receive((packet) => heard.push(packet));
  return { ...bed, a, b, heard };
}

describe('TX → RX', () => {
  test('the payload arrives intact and transmit resolves on TxDone after the time on air', async () => {
    const { a, clock, heard } = pair();
    const payload = bytes(109);
    let doneAt = -1;
    const sent = a.radio.transmit(payload).then(() => void (doneAt = clock.now()));
    clock.advance(1_000);
    await sent;
    expect(heard).toHaveLength(1);
    expect(heard[0].payload).toEqual(payload);
    expect(heard[0].crcOk).toBe(true);
    expect(doneAt).toBeGreaterThanOrEqual(airtime({ spreadingFactor: 7, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 109 }).timeOnAirMs);
    expect(a.radio.stats.txPackets).toBe(1);
  });

  test.each([
    [100, 'strong'],
    [134, 'below the noise'],
  ])('RSSI and SNR of a %i dB link (%s) are reported within register resolution', async (lossDb) => {
    const { a, clock, heard } = pair(lossDb);
    const sent = a.radio.transmit(bytes(10));
    clock.advance(1_000);
    await sent;
    const rssi = 14 - lossDb;
    const snr = rssi - noiseFloorDbm(125_000);
    expect(Math.abs(heard[0].rssiDbm - rssi)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(heard[0].snrDb - snr)).toBeLessThanOrEqual(0.125);
  });

  test('frequency error is reported as 0 (GetPacketStatus has none for LoRa)', async () => {
    const { a, air, clock, heard } = pair();
    air.setCarrierOffset('a', 3_000);
    const sent = a.radio.transmit(bytes(4));
    clock.advance(500);
    await sent;
    expect(heard[0].frequencyErrorHz).toBe(0);
  });

  test('a packet the air damaged is delivered with crcOk false and counted', async () => {
    const { a, b, air, clock, heard } = pair();
    air.corruptNext('b');
    const sent = a.radio.transmit(bytes(20));
    clock.advance(500);
    await sent;
    expect(heard.map((p) => p.crcOk)).toEqual([false]);
    expect(b.radio.stats).toMatchObject({ rxPackets: 1, crcErrors: 1 });
  });

  test('the receiver stays in RX and hears the next packet', async () => {
    const { a, b, clock, heard } = pair();
    for (const length of [5, 6]) {
      const sent = a.radio.transmit(bytes(length));
      clock.advance(500);
      await sent;
    }
    expect(heard.map((p) => p.payload.length)).toEqual([5, 6]);
    expect(b.chip.mode).toBe('rx');
  });

  test('a reception interrupted by transmit resumes with the same listener afterwards', async () => {
    const { a, b, clock, heard } = pair();
    const sent = b.radio.transmit(bytes(3));
    clock.advance(500);
    await sent;
    expect(b.chip.mode).toBe('rx');
    const back = a.radio.transmit(bytes(7));
    clock.advance(500);
    await back;
    expect(heard.map((p) => p.payload.length)).toEqual([7]);
  });

  test('receive() called during a transmission starts when the transmission ends', async () => {
    const { a, b, clock } = pair();
    const mine: RadioPacket[] = [];
    const sent = a.radio.transmit(bytes(3));
    a.radio.receive((packet) => mine.push(packet));
    expect(a.chip.mode).toBe('tx');
    clock.advance(500);
    await sent;
    expect(a.chip.mode).toBe('rx');
    const back = b.radio.transmit(bytes(9));
    clock.advance(500);
    await back;
    expect(mine.map((p) => p.payload.length)).toEqual([9]);
  });

  test('sleep() ends reception: nothing is heard afterwards', async () => {
    const { a, b, clock, heard } = pair();
    b.radio.sleep();
    const sent = a.radio.transmit(bytes(9));
    clock.advance(500);
    await sent;
    expect(heard).toEqual([]);
    expect(b.chip.mode).toBe('sleep');
  });

  test('IRQ flags are cleared after each interrupt and DIO1 falls', async () => {
    const { a, b, clock } = pair();
    const sent = a.radio.transmit(bytes(8));
    clock.advance(500);
    await sent;
    expect([a.chip.irqStatus, b.chip.irqStatus]).toEqual([0, 0]);
    expect([a.chip.dio1, b.chip.dio1]).toEqual([false, false]);
  });

  test('no command is ever sent while BUSY is high', async () => {
    const { a, b, clock } = pair();
    const sent = a.radio.transmit(bytes(30));
    clock.advance(500);
    await sent;
    b.radio.configure({ spreadingFactor: 9 });
    b.radio.sleep();
    b.radio.rssi();
    expect([...a.chip.violations, ...b.chip.violations]).toEqual([]);
  });

  test.each([
    [new Uint8Array(0), RangeError],
    [new Uint8Array(256), RangeError],
    [[1, 2, 3], TypeError],
  ])('transmit refuses payload %#', async (payload, type) => {
    const { a } = pair();
    await expect(a.radio.transmit(payload as Uint8Array)).rejects.toBeInstanceOf(type);
  });

  test('a second transmit while one is in flight is refused with Busy', async () => {
    const { a, clock } = pair();
    const first = a.radio.transmit(bytes(4));
    await expect(a.radio.transmit(bytes(4))).rejects.toMatchObject({ code: 'Busy' });
    clock.advance(500);
    await first;
  });

  test('an implicit-header radio sends only its fixed length', async () => {
    const { a } = pair();
    a.radio.configure({ implicitHeader: true, implicitLength: 12 });
    await expect(a.radio.transmit(bytes(11))).rejects.toBeInstanceOf(RangeError);
  });
});

describe('rssi() and channel activity detection', () => {
  test('rssi() reads the noise floor on a quiet channel', () => {
    const { a } = pair();
    expect(Math.abs(a.radio.rssi() - noiseFloorDbm(125_000))).toBeLessThanOrEqual(0.5);
  });

  test('rssi() reads a transmission that is on air', () => {
    const { a, b, clock } = pair();
    b.radio.configure({ spreadingFactor: 12 });
    a.radio.configure({ spreadingFactor: 12 });
    void a.radio.transmit(bytes(50));
    clock.advance(100);
    expect(b.radio.rssi()).toBeCloseTo(14 - NEAR_DB, 0);
  });

  test('detectActivity() is false on a quiet channel', async () => {
    const { a, clock } = pair();
    const found = a.radio.detectActivity();
    clock.advance(50);
    await expect(found).resolves.toBe(false);
  });

  test('detectActivity() is true while another node transmits', async () => {
    const { a, b, clock } = pair();
    void a.radio.transmit(bytes(100));
    clock.advance(20);
    const found = b.radio.detectActivity();
    clock.advance(20);
    await expect(found).resolves.toBe(true);
  });
});

describe('sleep and close', () => {
  test('sleep() puts the chip to sleep and the next transmit wakes it', async () => {
    const { a, clock, heard } = pair();
    a.radio.sleep();
    expect(a.chip.mode).toBe('sleep');
    const sent = a.radio.transmit(bytes(5));
    clock.advance(500);
    await sent;
    expect(heard).toHaveLength(1);
    expect(a.chip.violations).toEqual([]);
  });

  test('sleep() aborts a transmission in flight', async () => {
    const { a } = pair();
    const sent = a.radio.transmit(bytes(5));
    a.radio.sleep();
    await expect(sent).rejects.toMatchObject({ code: 'Aborted' });
  });

  test('close() rejects a transmission in flight with Closed before it returns', async () => {
    const { a } = pair();
    const sent = a.radio.transmit(bytes(5));
    a.radio.close();
    // A promise already settled wins the race against one resolved after it.
    const first = await Promise.race([sent, Promise.resolve('still pending')]).then(String, (error: RadioError) => error.code);
    expect(first).toBe('Closed');
  });

  test('no packet is delivered after close(), even one already on air', async () => {
    const { a, b, clock, heard } = pair();
    const sent = a.radio.transmit(bytes(40));
    clock.advance(10);
    b.radio.close();
    clock.advance(500);
    await sent;
    await settle();
    expect(heard).toEqual([]);
  });

  test('close() is idempotent and later calls fail with Closed', async () => {
    const { a } = pair();
    a.radio.close();
    a.radio.close();
    expect(() => a.radio.configure({})).toThrow(expect.objectContaining({ code: 'Closed' }));
    expect(() => a.radio.rssi()).toThrow(expect.objectContaining({ code: 'Closed' }));
    await expect(a.radio.transmit(bytes(1))).rejects.toMatchObject({ code: 'Closed' });
    await expect(a.radio.detectActivity()).rejects.toMatchObject({ code: 'Closed' });
  });

  test('close() releases the SPI and every pin and leaves the chip asleep', () => {
    const { a } = pair();
    a.radio.close();
    expect(a.chip.openHandles).toBe(0);
    expect(a.chip.mode).toBe('sleep');
  });
});


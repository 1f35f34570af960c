/**
 * Figures for the radio layer, per chip family, measured on the boards that carry them (Heltec V2:
 * SX1276, Heltec V3: SX1262), each driver on its emulated chip over a TestAir:
 * - SPI transactions (chip-select cycles) per transmitted and per received packet, from the drivers'
 *   stats: what a packet costs on the device's SPI bus;
 * - emulated TX → RX exchanges per wall-clock second (driver, emulator, air and virtual clock together,
 *   in Node): what bounds the simulator.
 * The sender transmits a maximum-size covey beacon on SF7/125 kHz; the receiver listens throughout.
 */
import { performance } from 'node:perf_hooks';
import { boardById } from '../hal/boards/index.js';
import { openRadio } from '../hal/drivers/open-radio.js';
import { timeOnAirMs } from '../hal/radio/airtime.js';
import { TestAir } from '../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../host-sim/chips/board-radio.js';
import { VirtualClock } from '../host-sim/kernel/virtual-clock.js';
import { BEACON_FRAME_BYTES } from '../proofs/beacon.js';

const SAMPLE = 100;
const SETTINGS = { frequencyHz: 868_100_000, spreadingFactor: 7, bandwidthHz: 125_000, txPowerDbm: 14 } as const;
const PAYLOAD = Uint8Array.from({ length: BEACON_FRAME_BYTES }, (_, i) => (i * 7) & 0xff);
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function measureBoard(boardId: string) {
  const board = boardById(boardId);
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const open = (name: string) => {
    const { io } = emulateBoardRadio(board, { air, clock, name });
    // No health check: its reads would be counted against the packets.
    const radio = openRadio(board, io, { clock, healthCheckMs: 0, settings: SETTINGS });
    return radio;
  };
  const sender = open('a');
  const receiver = open('b');
  air.setLoss('a', 'b', 110);
  let received = 0;
  receiver.receive(() => received++);
  const stepMs = Math.ceil(timeOnAirMs({ ...SETTINGS, codingRate: 5, payloadBytes: BEACON_FRAME_BYTES })) + 50;
  const exchange = async () => {
    const sent = sender.transmit(PAYLOAD);
    clock.advance(stepMs);
    await settle();
    await sent;
  };
  await exchange(); // start-up costs stay out of the sample
  const tx0 = sender.stats.spiTransactions;
  const rx0 = receiver.stats.spiTransactions;
  const got0 = received;
  for (let i = 0; i < SAMPLE; i++) await exchange();
  if (received - got0 !== SAMPLE) throw new Error(`${boardId}: ${received - got0} of ${SAMPLE} packets arrived`);
  const spiPerTx = (sender.stats.spiTransactions - tx0) / SAMPLE;
  const spiPerRx = (receiver.stats.spiTransactions - rx0) / SAMPLE;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    await exchange();
    count++;
  }
  const emulatedPacketsPerSec = Math.round((count * 1000) / (performance.now() - start));
  sender.close();
  receiver.close();
  return { chip: sender.chip, spiPerTx, spiPerRx, emulatedPacketsPerSec };
}

export async function runRadioBench(): Promise<Record<string, number | string>> {
  const sx127x = await measureBoard('heltec_v2');
  const sx126x = await measureBoard('heltec_v3');
  return {
    sx127xSpiPerTx: sx127x.spiPerTx,
    sx127xSpiPerRx: sx127x.spiPerRx,
    sx127xEmulatedPacketsPerSec: sx127x.emulatedPacketsPerSec,
    sx126xSpiPerTx: sx126x.spiPerTx,
    sx126xSpiPerRx: sx126x.spiPerRx,
    sx126xEmulatedPacketsPerSec: sx126x.emulatedPacketsPerSec,
    payloadBytes: BEACON_FRAME_BYTES,
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
}
